import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/client";
import { type AuthStatus, authRequests, authStatuses } from "@/db/schema";
import type { Scope } from "@/lib/organizations/scope";
import type { AuthLogFilters } from "./filters";
import { authLogConditions } from "./queries";

/**
 * Counts and the per-bucket chart of the Auth Logs dashboard. Their cost is bounded whatever
 * the table holds: up to EXACT_LIMIT matching entries are counted exactly (one pass over at most
 * that many index entries); beyond it the chart and total are estimated from a fixed-size page
 * sample of the table, and say so. An exact count of a million rows costs more than the whole
 * page budget on a small server, and nobody reads "1,000,000" differently from "about 1,000,000".
 */
export const EXACT_LIMIT = 10_000;
/** The sample reads at least this many rows (about 1% of a million-row table's pages)… */
const SAMPLE_ROWS = 5_000;
/** …and aims for this many matching rows in it, so each bar rests on enough of them… */
const SAMPLE_MATCHES = 3_000;
/** …without ever reading more than this share of the table. */
const MAX_SAMPLE_PERCENT = 5;
// The same pages every time, so a reload does not redraw a different estimate.
const SAMPLE_SEED = 20_250_131;
const BUCKET_ORIGIN = "2000-01-01T00:00:00Z";

export type StatusCounts = Record<AuthStatus, number>;
export type TimeBucket = { start: Date; end: Date; counts: StatusCounts; total: number };

export type AuthLogStats = {
  /** Matching entries: exact, or an estimate when `exact` is false. */
  total: number;
  exact: boolean;
  /** The charted span: the filter's bounds, else the oldest match to now. Null when nothing matched. */
  range: { from: Date; to: Date } | null;
  bucketMs: number;
  buckets: TimeBucket[];
};

/** Buckets of these widths keep the chart between roughly 12 and 60 bars. */
const BUCKET_WIDTHS_MS = [
  60_000,
  5 * 60_000,
  15 * 60_000,
  30 * 60_000,
  60 * 60_000,
  3 * 60 * 60_000,
  6 * 60 * 60_000,
  12 * 60 * 60_000,
  24 * 60 * 60_000,
  7 * 24 * 60 * 60_000,
  30 * 24 * 60 * 60_000,
];
const MAX_BUCKETS = 60;

export function bucketWidthFor(spanMs: number): number {
  for (const width of BUCKET_WIDTHS_MS) if (spanMs / width <= MAX_BUCKETS) return width;
  return BUCKET_WIDTHS_MS.at(-1) as number;
}

export async function getAuthLogStats(
  scope: Scope,
  filters: AuthLogFilters,
  now: Date = new Date(),
  tx: Executor = db,
  // Tests lower it to reach the estimate without writing tens of thousands of rows.
  exactLimit: number = EXACT_LIMIT,
): Promise<AuthLogStats> {
  const conditions = authLogConditions(scope, filters);
  const to = filters.to ?? now;
  const from = filters.from ?? (await oldestMatch(conditions, tx));
  if (!from || from > to) return { total: 0, exact: true, range: null, bucketMs: 0, buckets: [] };
  const bucketMs = bucketWidthFor(to.getTime() - from.getTime());
  const exact = await countByBucket(conditions, bucketMs, exactLimit, tx);
  if (exact.total <= exactLimit) {
    return {
      ...exact,
      exact: true,
      range: { from, to },
      bucketMs,
      buckets: fillBuckets(from, to, bucketMs, exact.rows),
    };
  }
  const estimate = await estimateByBucket(conditions, bucketMs, tx);
  return {
    // The exact pass already proved more than EXACT_LIMIT entries match.
    total: Math.max(exactLimit + 1, estimate.total),
    exact: false,
    range: { from, to },
    bucketMs,
    buckets: fillBuckets(from, to, bucketMs, estimate.rows),
  };
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

type BucketRow = { bucketStart: number; status: AuthStatus; entries: number };

async function oldestMatch(conditions: SQL | undefined, tx: Executor): Promise<Date | undefined> {
  const [oldest] = await tx
    .select({ createdAt: authRequests.createdAt })
    .from(authRequests)
    .where(conditions)
    // NULLS FIRST (created_at is never null) matches a backward walk of the (created_at DESC
    // NULLS LAST) indexes; plain ASC would sort the whole match instead.
    .orderBy(sql`${authRequests.createdAt} asc nulls first`)
    .limit(1);
  return oldest?.createdAt;
}

async function anyMatch(conditions: SQL | undefined, tx: Executor): Promise<boolean> {
  const rows = await tx
    .select({ one: sql<number>`1` })
    .from(authRequests)
    .where(conditions)
    .limit(1);
  return rows.length > 0;
}

/** Exact counts, reading at most `limit` + 1 matching entries (no ORDER BY: any will do). */
async function countByBucket(
  conditions: SQL | undefined,
  bucketMs: number,
  limit: number,
  tx: Executor,
) {
  const matched = tx
    .select({ createdAt: authRequests.createdAt, status: authRequests.status })
    .from(authRequests)
    .where(conditions)
    .limit(limit + 1)
    .as("matched");
  const bucket = bucketOf(sql`${matched.createdAt}`, bucketMs);
  const rows = await tx
    .select({
      bucketStart: epochMs(bucket),
      status: matched.status,
      entries: sql<number>`count(*)::int`,
    })
    .from(matched)
    .groupBy(bucket, matched.status);
  return summarize(rows as BucketRow[], 1);
}

/**
 * Estimated counts from a page sample (TABLESAMPLE SYSTEM), scaled back up. The sample is sized
 * from the planner's statistics, which cost no scan: large enough that about SAMPLE_MATCHES
 * matching rows land in it (a narrow time range needs a larger share of the table than "all
 * time"), never less than SAMPLE_ROWS rows nor more than MAX_SAMPLE_PERCENT of the table.
 */
async function estimateByBucket(conditions: SQL | undefined, bucketMs: number, tx: Executor) {
  const [tableRows, expectedMatches] = await Promise.all([
    plannedRows(sql`select 1 from ${authRequests}`, tx),
    plannedRows(sql`select 1 from ${authRequests} where ${conditions ?? sql`true`}`, tx),
  ]);
  const percent = samplePercent(tableRows, expectedMatches);
  const sampled = sql`${authRequests} tablesample system (${percent}) repeatable (${SAMPLE_SEED})`;
  const bucket = bucketOf(sql`${authRequests.createdAt}`, bucketMs);
  const rows = await tx
    .select({
      bucketStart: epochMs(bucket),
      // Wrapped: drizzle checks plain columns against a FROM, and this FROM is raw SQL.
      status: sql<AuthStatus>`${authRequests.status}`,
      entries: sql<number>`count(*)::int`,
    })
    .from(sampled)
    .where(conditions)
    .groupBy(bucket, sql`2`);
  return summarize(rows as BucketRow[], 100 / percent);
}

export function samplePercent(tableRows: number, expectedMatches: number): number {
  if (tableRows <= 0) return 100;
  const forMatches = expectedMatches > 0 ? (100 * SAMPLE_MATCHES) / expectedMatches : 100;
  const floor = (100 * SAMPLE_ROWS) / tableRows;
  return Math.min(100, Math.max(0.01, Math.min(MAX_SAMPLE_PERCENT, Math.max(floor, forMatches))));
}

/** The planner's row estimate for a query: EXPLAIN without ANALYZE reads statistics only. */
async function plannedRows(query: SQL, tx: Executor): Promise<number> {
  const result: unknown = await tx.execute(sql`explain (format json) ${query}`);
  // postgres.js answers with the rows, PGlite with { rows }.
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
    string,
    unknown
  >[];
  const [row] = rows;
  const raw = row ? Object.values(row)[0] : undefined;
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as [
    { Plan?: { "Plan Rows"?: number } },
  ];
  return Number(plan?.[0]?.Plan?.["Plan Rows"] ?? 0);
}

/**
 * The bucket a row falls in. Width and origin are inlined rather than bound, so the expression in
 * SELECT is textually the GROUP BY key and PostgreSQL converts it once per group, not per row.
 */
function bucketOf(createdAt: SQL, bucketMs: number): SQL {
  const width = sql.raw(`'${Math.trunc(bucketMs)} milliseconds'::interval`);
  return sql`date_bin(${width}, ${createdAt}, ${sql.raw(`'${BUCKET_ORIGIN}'::timestamptz`)})`;
}

// date_part is float8; extract() is numeric since PostgreSQL 14, and much slower.
function epochMs(bucket: SQL): SQL<number> {
  return sql<number>`(date_part('epoch', ${bucket}) * 1000)::float8`;
}

function summarize(rows: BucketRow[], scale: number) {
  const scaled = rows.map((row) => ({
    bucketStart: Number(row.bucketStart),
    status: row.status,
    entries: Math.round(Number(row.entries) * scale),
  }));
  return { rows: scaled, total: scaled.reduce((sum, row) => sum + row.entries, 0) };
}

/** Every bucket of the range, empty ones included, so the chart's time axis has no holes. */
function fillBuckets(from: Date, to: Date, bucketMs: number, rows: BucketRow[]): TimeBucket[] {
  const origin = Date.parse(BUCKET_ORIGIN);
  const first = origin + Math.floor((from.getTime() - origin) / bucketMs) * bucketMs;
  const byStart = new Map<number, TimeBucket>();
  const buckets: TimeBucket[] = [];
  for (let start = first; start <= to.getTime(); start += bucketMs) {
    const bucket = {
      start: new Date(start),
      end: new Date(start + bucketMs),
      counts: emptyCounts(),
      total: 0,
    };
    byStart.set(start, bucket);
    buckets.push(bucket);
  }
  for (const row of rows) {
    const bucket = byStart.get(row.bucketStart);
    if (!bucket) continue;
    bucket.counts[row.status] += row.entries;
    bucket.total += row.entries;
  }
  return buckets;
}

function emptyCounts(): StatusCounts {
  return Object.fromEntries(authStatuses.map((status) => [status, 0])) as StatusCounts;
}
