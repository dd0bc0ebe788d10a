import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Executor } from "@/lib/db";

/**
 * The parts of a dashboard's "rows per time bucket, by status" chart that do not depend on the
 * table: bucket widths, the SQL bucket expression, filling empty buckets, and sizing a page
 * sample from the planner's statistics. The Auth Logs (lib/auth-logs/stats.ts) and the webhook
 * delivery log (lib/webhooks/delivery-stats.ts) count their own rows with them, so both charts
 * bucket time the same way.
 */

/** Up to this many matching rows are counted exactly; past it, counts are estimated. */
export const EXACT_LIMIT = 10_000;
/** The sample reads at least this many rows (half a percent of a million-row table)… */
const SAMPLE_ROWS = 5_000;
/** …and aims for this many matching rows in it, so each bar rests on enough of them… */
const SAMPLE_MATCHES = 1_000;
/** …without ever reading more than this share of the table. */
const MAX_SAMPLE_PERCENT = 2;
// The same pages every time, so a reload does not redraw a different estimate.
const SAMPLE_SEED = 20_250_131;
/** The planner expecting this many times EXACT_LIMIT matches skips the exact count. */
const PLANNED_MATCHES_FACTOR = 2;
const BUCKET_ORIGIN = "2000-01-01T00:00:00Z";

export type TimeBucket<Status extends string> = {
  start: Date;
  end: Date;
  counts: Record<Status, number>;
  total: number;
};

/** What a chart of `Status` rows over time shows. */
export type BucketStats<Status extends string> = {
  /** Matching rows: exact, or an estimate when `exact` is false. */
  total: number;
  exact: boolean;
  /**
   * Only known to be more than `total` - 1: more than the exact limit matched, and the sample
   * estimated fewer. Say "more than", not "about".
   */
  atLeast: boolean;
  /** The charted span: the filter's bounds, else the oldest match to now. Null when nothing matched. */
  range: { from: Date; to: Date } | null;
  bucketMs: number;
  buckets: TimeBucket<Status>[];
};

/** What a chart draws of BucketStats, in columns: what a page hands the ActivityChart. */
export type ChartStats<Status extends string> = {
  /** Matching rows: exact, or an estimate when `exact` is false. */
  total: number;
  exact: boolean;
  bucketMs: number;
  /** Start of the first bucket (ms since the epoch); each next one starts `bucketMs` later. */
  firstBucketStart: number;
  bucketCount: number;
  /** Per status, its count in each bucket, oldest first. */
  counts: Record<Status, number[]>;
};

/**
 * What a chart draws of `stats`, and nothing else, as columns: a page hands it to a client
 * component, so every value crosses to the browser in the page's payload and is serialized, then
 * parsed again to render the server's HTML. Bucket starts follow from the first and the width;
 * each status has its count per bucket, rather than an object with its dates per bucket.
 */
export function chartStatsOf<Status extends string>(
  stats: BucketStats<Status>,
): ChartStats<Status> {
  // Every bucket counts every status (fillBuckets), so the first one names them all.
  const statuses = Object.keys(stats.buckets[0]?.counts ?? {}) as Status[];
  const counts = Object.fromEntries(
    statuses.map((status) => [status, stats.buckets.map((bucket) => bucket.counts[status])]),
  ) as Record<Status, number[]>;
  return {
    total: stats.total,
    exact: stats.exact,
    bucketMs: stats.bucketMs,
    firstBucketStart: stats.buckets[0]?.start.getTime() ?? 0,
    bucketCount: stats.buckets.length,
    counts,
  };
}

type BucketRow<Status extends string> = {
  bucketStart: number;
  status: Status;
  entries: number;
};

/** A table whose rows have a creation time and one of `statuses`, as the chart counts them. */
export type StatusSource<Status extends string> = {
  table: PgTable;
  createdAt: AnyPgColumn;
  status: AnyPgColumn;
  statuses: readonly Status[];
};

/**
 * Rows matching `conditions` per time bucket and status, between `bounds.from` (else the oldest
 * match) and `bounds.to` (else `now`). Its cost is bounded whatever the table holds: up to
 * `exactLimit` matching rows are counted exactly (one pass over at most that many index entries);
 * beyond it the chart and total are estimated from a page sample of the table, and say so. An
 * exact count of a million rows costs more than a whole page budget on a small server, and
 * nobody reads "1,000,000" differently from "about 1,000,000".
 */
export async function statusCountsOverTime<Status extends string>(
  source: StatusSource<Status>,
  conditions: SQL | undefined,
  bounds: { from?: Date; to?: Date },
  now: Date,
  tx: Executor,
  exactLimit: number = EXACT_LIMIT,
): Promise<BucketStats<Status>> {
  const to = bounds.to ?? now;
  const [oldest, tableRows, expectedMatches] = await Promise.all([
    bounds.from ?? oldestMatch(source, conditions, tx),
    plannedRows(sql`select 1 from ${source.table}`, tx),
    plannedRows(sql`select 1 from ${source.table} where ${conditions ?? sql`true`}`, tx),
  ]);
  const from = oldest;
  if (!from || from > to) {
    return { total: 0, exact: true, atLeast: false, range: null, bucketMs: 0, buckets: [] };
  }
  const bucketMs = bucketWidthFor(to.getTime() - from.getTime());
  const result = (
    counts: { rows: BucketRow<Status>[]; total: number },
    exact: boolean,
    atLeast = false,
  ) => ({
    total: counts.total,
    exact,
    atLeast,
    range: { from, to },
    bucketMs,
    buckets: fillBuckets(source.statuses, from, to, bucketMs, counts.rows),
  });
  const count = () => countByBucket(source, conditions, bucketMs, exactLimit, tx);
  // When the planner expects far more matches than can be counted, the exact pass would only
  // read exactLimit rows to learn that: straight to the sample, which checks the planner.
  const clearlyTooMany = expectedMatches > exactLimit * PLANNED_MATCHES_FACTOR;
  if (!clearlyTooMany) {
    const exact = await count();
    if (exact.total <= exactLimit) return result(exact, true);
  }
  const estimate = await estimateByBucket(
    source,
    conditions,
    bucketMs,
    tableRows,
    expectedMatches,
    tx,
  );
  if (estimate.total > exactLimit) return result(estimate, false);
  if (clearlyTooMany) {
    // The planner was far off: few enough rows match to count them after all.
    const exact = await count();
    if (exact.total <= exactLimit) return result(exact, true);
  }
  // More than exactLimit match (the exact pass said so), whatever the sample makes of it.
  return result({ ...estimate, total: exactLimit + 1 }, false, true);
}

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

async function oldestMatch(
  source: StatusSource<string>,
  conditions: SQL | undefined,
  tx: Executor,
): Promise<Date | undefined> {
  const [oldest] = await tx
    .select({ createdAt: sql`${source.createdAt}`.mapWith(source.createdAt) })
    .from(source.table)
    .where(conditions)
    // NULLS FIRST (created_at is never null) matches a backward walk of the (created_at DESC
    // NULLS LAST) indexes; plain ASC would sort the whole match instead.
    .orderBy(sql`${source.createdAt} asc nulls first`)
    .limit(1);
  return oldest?.createdAt as Date | undefined;
}

/** Exact counts, reading at most `limit` + 1 matching rows (no ORDER BY: any will do). */
async function countByBucket<Status extends string>(
  source: StatusSource<Status>,
  conditions: SQL | undefined,
  bucketMs: number,
  limit: number,
  tx: Executor,
) {
  const matched = sql`(select ${source.createdAt} as created_at, ${source.status} as status
    from ${source.table} where ${conditions ?? sql`true`} limit ${limit + 1}) as matched`;
  const bucket = bucketOf(sql`created_at`, bucketMs);
  const rows = await tx
    .select({
      bucketStart: epochMs(bucket),
      status: sql<Status>`status`,
      entries: sql<number>`count(*)::int`,
    })
    .from(matched)
    .groupBy(bucket, sql`status`);
  return summarizeBuckets(rows as BucketRow<Status>[], 1);
}

/**
 * Estimated counts from a page sample (TABLESAMPLE SYSTEM), scaled back up. The sample is sized
 * from the planner's statistics, which cost no scan (see samplePercent).
 */
async function estimateByBucket<Status extends string>(
  source: StatusSource<Status>,
  conditions: SQL | undefined,
  bucketMs: number,
  tableRows: number,
  expectedMatches: number,
  tx: Executor,
) {
  const percent = samplePercent(tableRows, expectedMatches);
  const sampled = sql`${source.table} tablesample system (${percent}) repeatable (${SAMPLE_SEED})`;
  const bucket = bucketOf(sql`${source.createdAt}`, bucketMs);
  const rows = await tx
    .select({
      bucketStart: epochMs(bucket),
      // Wrapped: drizzle checks plain columns against a FROM, and this FROM is raw SQL.
      status: sql<Status>`${source.status}`,
      entries: sql<number>`count(*)::int`,
    })
    .from(sampled)
    .where(conditions)
    .groupBy(bucket, sql`2`);
  return summarizeBuckets(rows as BucketRow<Status>[], 100 / percent);
}

/** Rows as the drivers return them, scaled up by `scale` (1 for exact counts), with their total. */
function summarizeBuckets<Status extends string>(rows: BucketRow<Status>[], scale: number) {
  const scaled = rows.map((row) => ({
    bucketStart: Number(row.bucketStart),
    status: row.status,
    entries: Math.round(Number(row.entries) * scale),
  }));
  return { rows: scaled, total: scaled.reduce((sum, row) => sum + row.entries, 0) };
}

/** Every bucket of the range, empty ones included, so the chart's time axis has no holes. */
function fillBuckets<Status extends string>(
  statuses: readonly Status[],
  from: Date,
  to: Date,
  bucketMs: number,
  rows: BucketRow<Status>[],
): TimeBucket<Status>[] {
  const origin = Date.parse(BUCKET_ORIGIN);
  const first = origin + Math.floor((from.getTime() - origin) / bucketMs) * bucketMs;
  const byStart = new Map<number, TimeBucket<Status>>();
  const buckets: TimeBucket<Status>[] = [];
  for (let start = first; start <= to.getTime(); start += bucketMs) {
    const bucket = {
      start: new Date(start),
      end: new Date(start + bucketMs),
      counts: Object.fromEntries(statuses.map((status) => [status, 0])) as Record<Status, number>,
      total: 0,
    };
    byStart.set(start, bucket);
    buckets.push(bucket);
  }
  for (const row of rows) {
    const bucket = byStart.get(row.bucketStart);
    if (!bucket || !(row.status in bucket.counts)) continue;
    bucket.counts[row.status] += row.entries;
    bucket.total += row.entries;
  }
  return buckets;
}

/**
 * The share of a table to sample (TABLESAMPLE SYSTEM percent): large enough that about
 * SAMPLE_MATCHES matching rows land in it (a narrow filter needs a larger share than a broad
 * one), never less than SAMPLE_ROWS rows nor more than MAX_SAMPLE_PERCENT of the table.
 */
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
