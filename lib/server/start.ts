import "server-only";
import { migrateDatabase } from "@/db/migrate";
import { sweepAbandonedAuthRequests } from "@/lib/auth-logs/journey";
import { env } from "@/lib/env";

const SWEEP_INTERVAL_MS = 60_000;
const state = globalThis as unknown as { __gatehouseStarted?: Promise<void> };

/** Everything a Gatehouse process does once before serving: schema, keys, bootstrap, timers. */
export function startGatehouse(): Promise<void> {
  state.__gatehouseStarted ??= start();
  return state.__gatehouseStarted;
}

async function start(): Promise<void> {
  await migrateDatabase();
  startAbandonedRequestSweep();
  console.log(
    `Gatehouse issuer ${env.issuer} (${env.embedded ? "embedded PGlite" : "PostgreSQL"})`,
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
