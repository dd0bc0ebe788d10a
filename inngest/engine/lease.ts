import { hostname } from "node:os";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { engineLeases } from "@/db/schema/engine";

// One engine per environment and database: two would both resume the same runs at start-up.
// The engine holds a lease row it refreshes every few seconds; another process may take it
// once it goes stale, or at once when it names a process on this host that no longer exists
// (the usual restart after a crash or SIGKILL).

export const LEASE_TTL_MS = 30_000;

export class LeaseHeldError extends Error {
  override name = "LeaseHeldError";
}

export interface Lease {
  readonly owner: string;
  /** Refreshes the lease; false when another process has taken it. */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Takes the environment's lease, waiting up to `waitMs` (by default long enough for a lease
 * left by a vanished process on another host to go stale) before giving up.
 */
export async function acquireLease(
  db: Database,
  environment: string,
  owner: string,
  { waitMs = LEASE_TTL_MS + 5_000 }: { waitMs?: number } = {},
): Promise<Lease> {
  const host = hostname();
  const deadline = Date.now() + waitMs;
  for (;;) {
    const taken = await tryAcquire(db, environment, owner, host);
    if (taken) break;
    if (Date.now() > deadline) {
      const holder = await currentHolder(db, environment);
      throw new LeaseHeldError(
        `Another embedded Inngest engine (${holder?.host ?? "?"} pid ${holder?.pid ?? "?"}) serves environment "${environment}" on this database. Run one Gatehouse instance per database in embedded mode, or point INNGEST_BASE_URL at an Inngest server.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return {
    owner,
    async renew() {
      const rows = await db
        .update(engineLeases)
        .set({ heartbeatAt: sql`now()` })
        .where(and(eq(engineLeases.environment, environment), eq(engineLeases.owner, owner)))
        .returning({ owner: engineLeases.owner });
      return rows.length > 0;
    },
    async release() {
      await db
        .delete(engineLeases)
        .where(and(eq(engineLeases.environment, environment), eq(engineLeases.owner, owner)));
    },
  };
}

async function tryAcquire(
  db: Database,
  environment: string,
  owner: string,
  host: string,
): Promise<boolean> {
  const holder = await currentHolder(db, environment);
  // Same host and the holder is gone, or it is this very process (a previous engine that was
  // not stopped, say after a dev reload): no need to wait for the lease to go stale.
  const holderGone =
    holder !== undefined &&
    holder.host === host &&
    (holder.pid === process.pid || !processExists(holder.pid));
  const rows = await db
    .insert(engineLeases)
    .values({ environment, owner, host, pid: process.pid })
    .onConflictDoUpdate({
      target: engineLeases.environment,
      set: { owner, host, pid: process.pid, heartbeatAt: sql`now()` },
      setWhere: holderGone
        ? eq(engineLeases.owner, holder.owner)
        : sql`${engineLeases.heartbeatAt} < now() - ${sql.raw(`interval '${LEASE_TTL_MS / 1000} seconds'`)}`,
    })
    .returning({ owner: engineLeases.owner });
  return rows.length > 0;
}

async function currentHolder(db: Database, environment: string) {
  const [holder] = await db
    .select()
    .from(engineLeases)
    .where(eq(engineLeases.environment, environment));
  return holder;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
