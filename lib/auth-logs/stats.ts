import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { type AuthStatus, authStatuses } from "@/constants/auth-logs";
import { authRequests } from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import type { Scope } from "@/lib/organizations/scope";
import {
  type BucketStats,
  EXACT_LIMIT,
  type TimeBucket as GenericTimeBucket,
  type StatusSource,
  statusCountsOverTime,
} from "@/lib/time-buckets";
import type { AuthLogFilters } from "./filters";
import { authLogConditions } from "./queries";

/**
 * Counts and the per-bucket chart of the Auth Logs dashboard: exact up to EXACT_LIMIT matching
 * entries, estimated from a page sample beyond it (see lib/time-buckets.ts, shared with the
 * webhook delivery log), and the empty state's "which filter excluded everything".
 */
export { bucketWidthFor, EXACT_LIMIT, samplePercent } from "@/lib/time-buckets";

export type StatusCounts = Record<AuthStatus, number>;
export type TimeBucket = GenericTimeBucket<AuthStatus>;
export type AuthLogStats = BucketStats<AuthStatus>;

const authLogSource: StatusSource<AuthStatus> = {
  table: authRequests,
  createdAt: authRequests.createdAt,
  status: authRequests.status,
  statuses: authStatuses,
};

export async function getAuthLogStats(
  scope: Scope,
  filters: AuthLogFilters,
  now: Date = new Date(),
  tx: Executor = db,
  // Tests lower it to reach the estimate without writing tens of thousands of rows.
  exactLimit: number = EXACT_LIMIT,
): Promise<AuthLogStats> {
  return statusCountsOverTime(
    authLogSource,
    authLogConditions(scope, filters),
    filters,
    now,
    tx,
    exactLimit,
  );
}

/**
 * Which active filters, removed on their own, would let entries through: what the empty state
 * tells the user to loosen. Only run when a page came back empty.
 */
export async function filtersExcludingEverything(
  scope: Scope,
  filters: AuthLogFilters,
  tx: Executor = db,
): Promise<FilterName[]> {
  const active = activeFilterNames(filters);
  const culprits: FilterName[] = [];
  for (const name of active) {
    const loosened = withoutFilter(filters, name);
    if (await anyMatch(authLogConditions(scope, loosened), tx)) culprits.push(name);
  }
  return culprits;
}

export type FilterName = "time" | "email" | "status" | "organization" | "client";

export function activeFilterNames(filters: AuthLogFilters): FilterName[] {
  const names: FilterName[] = [];
  if (filters.from || filters.to) names.push("time");
  if (filters.email) names.push("email");
  if (filters.statuses?.length) names.push("status");
  if (filters.organizationId) names.push("organization");
  if (filters.clientId) names.push("client");
  return names;
}

function withoutFilter(filters: AuthLogFilters, name: FilterName): AuthLogFilters {
  switch (name) {
    case "time":
      return { ...filters, from: undefined, to: undefined };
    case "email":
      return { ...filters, email: undefined };
    case "status":
      return { ...filters, statuses: undefined };
    case "organization":
      return { ...filters, organizationId: undefined };
    case "client":
      return { ...filters, clientId: undefined };
  }
}

async function anyMatch(conditions: SQL | undefined, tx: Executor): Promise<boolean> {
  const rows = await tx
    .select({ one: sql<number>`1` })
    .from(authRequests)
    .where(conditions)
    .limit(1);
  return rows.length > 0;
}
