import { EmbeddedEngine, type EngineOptions } from "./engine";
import { defaultBackoff } from "./transitions";

// Entry point of the embedded engine. The process start-up calls
//   await startEmbeddedEngine({ appUrl, db, port, signingKey, eventKey })
// when no Inngest server is configured, with the port and keys the app's Inngest client was
// configured with; app code never imports this folder, and the engine reads and writes no
// environment variables.

export type { EngineOptions, EngineStats, SdkConnection } from "./engine";
export { EmbeddedEngine } from "./engine";
export type { Backoff } from "./transitions";

export interface StartEmbeddedEngineOptions extends Partial<Omit<EngineOptions, "appUrl" | "db">> {
  appUrl: string;
  db: EngineOptions["db"];
}

const holder = globalThis as unknown as { __gatehouseInngestEngine?: Promise<EmbeddedEngine> };

/**
 * Starts the engine once per process (kept on globalThis, so dev reloads reuse it). Resolves
 * once it listens; the app is synced in the background, retrying until it answers, since it
 * usually is still booting.
 */
export async function startEmbeddedEngine(
  options: StartEmbeddedEngineOptions,
): Promise<EmbeddedEngine> {
  const running = holder.__gatehouseInngestEngine;
  if (running) {
    const engine = await running.catch(() => undefined);
    if (engine && !engine.isStopped) return engine;
  }
  const starting = EmbeddedEngine.start(resolveOptions(options));
  holder.__gatehouseInngestEngine = starting;
  starting.catch(() => {
    if (holder.__gatehouseInngestEngine === starting) holder.__gatehouseInngestEngine = undefined;
  });
  return starting;
}

function resolveOptions(options: StartEmbeddedEngineOptions): EngineOptions {
  return {
    appUrl: options.appUrl,
    db: options.db,
    port: options.port ?? 0,
    environment: options.environment ?? "default",
    maxInFlight: options.maxInFlight ?? 24,
    callTimeoutMs: options.callTimeoutMs ?? 15 * 60_000,
    backoff: options.backoff ?? defaultBackoff,
    // Inngest deduplicates event ids for 24 hours.
    eventRetentionMs: options.eventRetentionMs ?? 24 * 3_600_000,
    runRetentionMs: options.runRetentionMs ?? 7 * 24 * 3_600_000,
    sdkMode: options.sdkMode ?? "signed",
    signingKey: options.signingKey,
    eventKey: options.eventKey,
  };
}
