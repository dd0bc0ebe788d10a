import { EmbeddedEngine, type EngineOptions } from "./engine";
import { defaultBackoff } from "./transitions";

// Entry point of the embedded engine. The process start-up calls
//   if (shouldStartEmbeddedEngine()) await startEmbeddedEngine({ appUrl })
// before anything creates an Inngest client; app code never imports this folder. The engine
// then sets INNGEST_BASE_URL and either INNGEST_SIGNING_KEY + INNGEST_EVENT_KEY (signed mode,
// the default) or INNGEST_DEV=1 (dev mode), so the SDK treats it as an Inngest server.

export type { EngineOptions, EngineStats, SdkConnection } from "./engine";
export { EmbeddedEngine } from "./engine";
export type { Backoff } from "./transitions";

export interface StartEmbeddedEngineOptions extends Partial<Omit<EngineOptions, "appUrl" | "db">> {
  appUrl: string;
  db: EngineOptions["db"];
}

// Setting any of these means an Inngest server is configured (Dev Server, `inngest start`,
// Inngest Cloud): the SDK talks to it and the embedded engine stays off.
const SERVER_SETTINGS = ["INNGEST_DEV", "INNGEST_BASE_URL", "INNGEST_SIGNING_KEY"] as const;

const holder = globalThis as unknown as { __gatehouseInngestEngine?: Promise<EmbeddedEngine> };

/** True when no Inngest server is configured, so Gatehouse must run its own. */
export function shouldStartEmbeddedEngine(
  env: Record<string, string | undefined> = process.env,
): boolean {
  return SERVER_SETTINGS.every((key) => !env[key]);
}

/**
 * Starts the engine once per process (kept on globalThis, so dev reloads reuse it) and points
 * the SDK's environment at it. Resolves once it listens; the app is synced in the background,
 * retrying until it answers, since it usually is still booting.
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

/** The engine of this process, if one was started and not stopped. */
export async function embeddedEngine(): Promise<EmbeddedEngine | undefined> {
  const engine = await holder.__gatehouseInngestEngine?.catch(() => undefined);
  return engine && !engine.isStopped ? engine : undefined;
}

function resolveOptions(options: StartEmbeddedEngineOptions): EngineOptions {
  return {
    appUrl: options.appUrl,
    db: options.db,
    port: options.port ?? portFromEnv(process.env.INNGEST_ENGINE_PORT),
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
    configureSdkEnv: options.configureSdkEnv ?? true,
  };
}

function portFromEnv(value: string | undefined): number {
  if (!value) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`INNGEST_ENGINE_PORT must be a port number, got "${value}"`);
  }
  return port;
}
