/**
 * What the two dashboard page benchmarks (Auth Logs, webhook delivery log) do alike: time the
 * page's data function and the page itself, round after round, and report them side by side.
 */
import os from "node:os";
import { env } from "@/lib/env";
import { fmt, type Stats, summarize, timePageRequest } from "./dashboard-server";
import { runLine } from "./results";

/** Issue 3's and issue 5's target for every combination's page. */
export const TARGET_PAGE_P95_MS = 50;
// Enough for the server's JIT and caches to settle: steady state is what is measured.
export const WARM_UP_ROUNDS = 10;
// Measured rounds per combination unless --iterations says otherwise. A p95 of 100 samples rests
// on its 5 slowest: one build gave Auth Logs' email exact 2.4× to 3.5× page/queries from run to
// run. 300 steady it, for under two more minutes per run.
export const MEASURED_ROUNDS = 300;

/** The count a log page shows, as lib/time-buckets.ts gives it. */
type MatchStats = { total: number; exact: boolean; atLeast?: boolean };

export type PageResult = {
  name: string;
  /** The page's query string. */
  query: string;
  queries: Stats;
  page: Stats;
  matches: string;
};

/**
 * `warmUp` rounds, then `iterations` measured ones, each calling the page's data function
 * (`load`) and then requesting the page: the two are timed under the same conditions.
 */
export async function measurePage(options: {
  name: string;
  query: string;
  url: string;
  cookie: string;
  load: () => Promise<{ stats: MatchStats }>;
  iterations: number;
  warmUp: number;
}): Promise<PageResult> {
  const { load, url, cookie } = options;
  for (let round = 0; round < options.warmUp; round++) {
    await load();
    await timePageRequest(url, cookie);
  }
  const queryTimes: number[] = [];
  const pageTimes: number[] = [];
  let stats: MatchStats | undefined;
  for (let round = 0; round < options.iterations; round++) {
    const started = performance.now();
    stats = (await load()).stats;
    queryTimes.push(performance.now() - started);
    pageTimes.push(await timePageRequest(url, cookie));
  }
  return {
    name: options.name,
    query: options.query,
    queries: summarize(queryTimes),
    page: summarize(pageTimes),
    matches: stats ? describeMatches(stats) : "?",
  };
}

/** One result as a line of progress; `note` goes before the match count (a ratio, say). */
export function progressLine(result: PageResult, note = ""): string {
  return `${result.name.padEnd(34)} queries p50 ${fmt(result.queries.p50)} p95 ${fmt(result.queries.p95)} | page p50 ${fmt(result.page.p50)} p95 ${fmt(result.page.p95)} | ${note}${result.matches}`;
}

/** Exact, estimated (≈) or only known to exceed the exact limit (>). */
function describeMatches(stats: MatchStats): string {
  if (stats.atLeast) return `> ${(stats.total - 1).toLocaleString("en")}`;
  return `${stats.exact ? "" : "≈"}${stats.total.toLocaleString("en")}`;
}

/** The lines saying where and how a run was made, for the top of a report. */
export function describeRun(run: {
  rows: string;
  iterations: number;
  warmUp: number;
  loadAtStart: number;
}): string[] {
  return [
    runLine("PostgreSQL (DATABASE_URL)"),
    run.rows,
    `${run.iterations} measured rounds per combination after ${run.warmUp} warm-up rounds over all of them and ${run.warmUp} more of its own; one request at a time.`,
    `Load average (1 min) ${run.loadAtStart.toFixed(1)} at the start, ${(os.loadavg()[0] as number).toFixed(1)} at the end: the benchmark, the server and PostgreSQL share the machine's cores with whatever else runs on it.`,
  ];
}

export const PAGE_TIMING_NOTE = [
  "  Timed from sending the request (gzip accepted, as browsers do) to its last byte, over",
  "  loopback HTTP on a kept-alive connection; the body is not decompressed or parsed.",
  // The server inherits the benchmark's environment, GATEHOUSE_COMPRESS included.
  env.compressResponses
    ? "  The server gzips its responses (GATEHOUSE_COMPRESS=true)."
    : "  The server does not compress (GATEHOUSE_COMPRESS unset, the default: in production the TLS proxy in front does).",
];
export const MATCHES_NOTE =
  "- Matches: the count the page shows (≈ = estimated past the exact limit, > = only known to exceed it; see lib/time-buckets.ts).";

/** The results table; `extra` adds columns after the page's p95 (a ratio, a verdict). */
export function resultsTable(
  results: PageResult[],
  extra: { heading: string; numeric?: boolean; cell: (result: PageResult) => string }[],
): string[] {
  const shortQuery = (query: string) =>
    query.length > 60 ? `${query.slice(0, 57)}…` : query || "(none)";
  return [
    `| Combination | Query string | Matches | Queries p50 | Queries p95 | Page p50 | Page p95 | ${extra.map((column) => column.heading).join(" | ")} |`,
    `| --- | --- | ---: | ---: | ---: | ---: | ---: | ${extra.map((column) => (column.numeric ? "---:" : "---")).join(" | ")} |`,
    ...results.map(
      (result) =>
        `| ${result.name} | \`${shortQuery(result.query)}\` | ${result.matches} | ${ms(result.queries.p50)} | ${ms(result.queries.p95)} | ${ms(result.page.p50)} | ${ms(result.page.p95)} | ${extra.map((column) => column.cell(result)).join(" | ")} |`,
    ),
  ];
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
