import "server-only";
import { startEmbeddedEngine } from "@/inngest/engine";
import { sweepAbandonedAuthRequests } from "@/lib/auth-logs/journey";
import { bootstrap, formatBanner } from "@/lib/bootstrap";
import { ensureDashboardClientOnce } from "@/lib/bootstrap/dashboard-client";
import { connection, migrateDatabase } from "@/lib/db";
import { env, inngestKeys } from "@/lib/env";

const SWEEP_INTERVAL_MS = 60_000;
const state = globalThis as unknown as { __gatehouseStarted?: Promise<void> };

/** Everything a Gatehouse process does once before serving: schema, keys, bootstrap, timers. */
export function startGatehouse(): Promise<void> {
  state.__gatehouseStarted ??= start();
  return state.__gatehouseStarted;
}

async function start(): Promise<void> {
  await migrateDatabase();
  // With no Inngest server configured, the embedded engine plays its part, on the port and
  // with the keys that lib/env gives the app's Inngest client (inngest/client.ts).
  const engine = env.inngest.embeddedEngine
    ? await startEmbeddedEngine({
        appUrl: `http://127.0.0.1:${env.port}/api/inngest`,
        db: connection().db,
        port: env.inngest.enginePort,
        ...inngestKeys(),
      })
    : undefined;
  // Before serving: the first sign-in needs the operator organization and its administrator.
  const report = await bootstrap();
  await ensureDashboardClientOnce();
  startAbandonedRequestSweep();
  console.log(
    formatBanner(report, {
      issuer: env.issuer,
      database: env.embedded ? "embedded PGlite" : "PostgreSQL",
      jobs: engine
        ? `embedded Inngest engine on ${engine.url}`
        : "Inngest server from INNGEST_* settings",
      production: env.nodeEnv === "production",
    }),
  );
}

function startAbandonedRequestSweep(): void {
  const timer = setInterval(() => {
    sweepAbandonedAuthRequests(env.authRequestTimeoutMs).catch((error) =>
      console.error("Abandoned auth request sweep failed", error),
    );
  }, SWEEP_INTERVAL_MS);
  timer.unref();
}
