/**
 * Auth Logs dashboard benchmark: the page's queries and the full server render, side by side,
 * over a million generated auth logs in PostgreSQL.
 *
 *   createdb gatehouse_bench   # any empty PostgreSQL database
 *   NEXT_DIST_DIR=.next-bench npx next build
 *   DATABASE_URL=postgres://…/gatehouse_bench NEXT_DIST_DIR=.next-bench \
 *     npx tsx --conditions=react-server bench/auth-logs.ts [--rows 1000000] [--iterations 300]
 *
 * It migrates, tops the table up to --rows with the seed's bulk generator (timed), starts
 * `next start` on BENCH_PORT (default 3311) against the same database, mints a dashboard
 * session for the bootstrap operator admin, then for each filter combination measures
 *   queries — the SQL the page runs: the viewer's scope lookup, then loadAuthLogView, the
 *             page's data function, with the same concurrency; no session, rendering or HTTP;
 *   page    — GET /auth-logs?… with that session: auth, scope lookup, queries, RSC + HTML render.
 * Results go to stdout and to the "auth-logs" section of bench/RESULTS.md.
 */
import os from "node:os";
import { sql } from "drizzle-orm";
import {
  type AuthLogSearchParams,
  loadAuthLogSearchParams,
  serializeAuthLogSearchParams,
} from "@/app/(dashboard)/auth-logs/search-params";
import { filtersFromSearchParams } from "@/app/(dashboard)/auth-logs/url-filters";
import { seed } from "@/lib/bootstrap/seed";
import { loadAuthLogView } from "@/lib/dashboard/auth-log-view";
import { closeDatabase, db, migrateDatabase, rowsOf } from "@/lib/db";
import { env } from "@/lib/env";
import { operatorScope } from "@/lib/organizations/scope";
import {
  benchOperator,
  type Floors,
  fmt,
  lookUpViewerScope,
  measureFloors,
  settleDatabase,
  startDashboardServer,
  vacuumAnalyze,
  warmUpServer,
} from "./support/dashboard-server";
import {
  describeRun,
  MATCHES_NOTE,
  MEASURED_ROUNDS,
  measurePage,
  PAGE_TIMING_NOTE,
  type PageResult,
  progressLine,
  resultsTable,
  TARGET_PAGE_P95_MS,
  WARM_UP_ROUNDS,
} from "./support/page-bench";
import { writeResultsSection } from "./support/results";

const args = parseArgs(process.argv.slice(2));
const PORT = Number(process.env.BENCH_PORT ?? 3311);
const BASE = `http://localhost:${PORT}`;
const TARGET_RATIO = 3;

type ViewParams = Partial<AuthLogSearchParams>;
type Combination = { name: string; params: ViewParams };

const loadAtStart = os.loadavg()[0] as number;

async function main() {
  if (!env.databaseUrl)
    throw new Error("Set DATABASE_URL to a PostgreSQL database (e.g. gatehouse_bench)");
  await migrateDatabase();
  const seeding = await topUp(args.rows);
  console.log("VACUUM ANALYZE …");
  await vacuumAnalyze(["auth_requests"]);
  await settleDatabase();

  const server = await startDashboardServer(PORT);
  try {
    const { userId, cookie } = await benchOperator();
    const combinations = await chooseCombinations();
    await warmUpServer(
      combinations.map(
        (combination) => `${BASE}/auth-logs${serializeAuthLogSearchParams(combination.params)}`,
      ),
      cookie,
      WARM_UP_ROUNDS,
    );
    const results: PageResult[] = [];
    for (const combination of combinations) {
      const last = await measure(combination, { userId, cookie });
      results.push(last);
      console.log(progressLine(last, `×${ratio(last).toFixed(2)} `));
    }
    const floors = await measureFloors(BASE, cookie, args.iterations, WARM_UP_ROUNDS);
    console.log(
      `Next.js page (/signed-out)           page p50 ${fmt(floors.next.p50)} p95 ${fmt(floors.next.p95)}`,
    );
    console.log(
      `dashboard frame (/settings)          page p50 ${fmt(floors.frame.p50)} p95 ${fmt(floors.frame.p95)}`,
    );
    const report = renderReport(results, seeding, floors);
    console.log(`\n${report}`);
    writeResultsSection("auth-logs", report);
  } finally {
    server.stop();
    await closeDatabase();
  }
}

type Seeding = { rows: number; generated: number; seconds: number | null };

/** Adds generated auth logs until the table holds `rows`. */
async function topUp(rows: number): Promise<Seeding> {
  const existing = await countRows();
  if (existing >= rows) return { rows: existing, generated: 0, seconds: null };
  console.log(
    `Generating ${(rows - existing).toLocaleString("en")} auth logs with the seed's bulk generator …`,
  );
  const report = await seed({ authLogs: rows - existing }, () => {});
  const generated = report.generated;
  console.log(`  done in ${generated?.seconds.toFixed(1)} s`);
  return {
    rows: await countRows(),
    generated: generated?.authLogs ?? 0,
    seconds: generated?.seconds ?? null,
  };
}

async function countRows(): Promise<number> {
  const [row] = rowsOf<{ n: string | number }>(
    await db.execute(sql`select count(*) as n from auth_requests`),
  );
  return Number(row?.n ?? 0);
}

/** Filter combinations over the generated data: broad, narrow, and mixed. */
async function chooseCombinations(): Promise<Combination[]> {
  const [busy] = rowsOf<{ email: string }>(
    await db.execute(sql`select email from auth_requests where email is not null and created_at > now() - interval '7 days'
                          group by email order by count(*) desc limit 1`),
  );
  const [organization] = rowsOf<{ id: string }>(
    await db.execute(sql`select organization_id as id from auth_requests where organization_id is not null
                          group by 1 order by count(*) desc limit 1`),
  );
  if (!busy || !organization) throw new Error("No generated auth logs to filter");
  const email = busy.email;
  const prefix = `${email.slice(0, 3)}*`;
  const org = organization.id;
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
  const firstPage = await loadAuthLogView(operatorScope, {}, { limit: 25 });
  return [
    { name: "none", params: {} },
    { name: "none, page 2 (cursor)", params: { cursor: firstPage.page.nextCursor } },
    { name: "email exact", params: { email } },
    { name: "email prefix", params: { email: prefix } },
    { name: "status=failure", params: { status: ["failure"] } },
    { name: "status=success,failure", params: { status: ["success", "failure"] } },
    { name: "organization", params: { org } },
    { name: "last 24 h", params: { range: "24h" } },
    { name: "last 7 days", params: { range: "7d" } },
    { name: "24 h + failure", params: { range: "24h", status: ["failure"] } },
    { name: "organization + 7 days", params: { org, range: "7d" } },
    { name: "organization + failure + 7 days", params: { org, status: ["failure"], range: "7d" } },
    { name: "email prefix + failure", params: { email: prefix, status: ["failure"] } },
    {
      name: "custom day, 10 days ago",
      params: {
        range: "custom",
        from: tenDaysAgo,
        to: new Date(tenDaysAgo.getTime() + 86_399_999),
      },
    },
    { name: "100 per page, 30 days", params: { range: "30d", limit: 100 } },
  ];
}

async function measure(
  combination: Combination,
  { userId, cookie }: { userId: string; cookie: string },
): Promise<PageResult> {
  const query = serializeAuthLogSearchParams(combination.params);
  // What the page itself reads from that URL.
  const parsed = loadAuthLogSearchParams(query);
  return measurePage({
    name: combination.name,
    query,
    url: `${BASE}/auth-logs${query}`,
    cookie,
    load: async () => {
      const scope = await lookUpViewerScope(userId);
      const { filters } = filtersFromSearchParams(parsed);
      return loadAuthLogView(scope, filters, {
        limit: parsed.limit,
        cursor: parsed.cursor,
      });
    },
    iterations: args.iterations,
    warmUp: WARM_UP_ROUNDS,
  });
}

function ratio(result: PageResult): number {
  return result.page.p95 / result.queries.p95;
}

function renderReport(results: PageResult[], seeding: Seeding, floors: Floors): string {
  const pass = (result: PageResult) =>
    result.page.p95 <= TARGET_PAGE_P95_MS && ratio(result) <= TARGET_RATIO ? "yes" : "**no**";
  const lines = [
    "## Auth Logs dashboard (issue 3)",
    "",
    ...describeRun({
      rows: `${seeding.rows.toLocaleString("en")} auth logs${seeding.seconds === null ? " (already there)" : `; ${seeding.generated.toLocaleString("en")} generated by the seed's bulk generator in ${seeding.seconds.toFixed(1)} s`}.`,
      iterations: args.iterations,
      warmUp: WARM_UP_ROUNDS,
      loadAtStart,
    }),
    "",
    "- **queries**: the SQL the page runs, as it runs it: the viewer's scope lookup (memberships),",
    "  then `loadAuthLogView`, the page's data function — the list, count and chart queries,",
    "  organization names — with the page's concurrency; without session, render or HTTP.",
    "- **page**: `GET /auth-logs?…` from `next start` with a dashboard session cookie: session",
    "  decode, scope lookup, the same queries, React server render to HTML.",
    ...PAGE_TIMING_NOTE,
    `- Targets: page p95 ≤ ${TARGET_PAGE_P95_MS} ms and page p95 ≤ ${TARGET_RATIO}× queries p95.`,
    MATCHES_NOTE,
    "- Floors, measured the same way, interleaved: `GET /signed-out`, a small page outside the",
    "  dashboard (what Next.js itself costs per page: routing, RSC and HTML render, the inlined",
    `  payload, compression): p50 ${floors.next.p50.toFixed(1)} ms, p95 ${floors.next.p95.toFixed(1)} ms; \`GET /settings\`, a dashboard page with`,
    `  no queries (that, plus session, scope lookup and layout): p50 ${floors.frame.p50.toFixed(1)} ms, p95 ${floors.frame.p95.toFixed(1)} ms.`,
    "  Every dashboard page pays the second before its own queries and render, so it can be within",
    `  3× of its queries only where they take at least half of it: queries p95 ≥ ${(floors.frame.p95 / 2).toFixed(1)} ms here.`,
    "",
    ...resultsTable(results, [
      {
        heading: "Page/queries (p95)",
        numeric: true,
        cell: (result) => `${ratio(result).toFixed(2)}×`,
      },
      { heading: "Meets targets", cell: pass },
    ]),
    "",
  ];
  return lines.join("\n");
}

function parseArgs(argv: string[]) {
  const options = { rows: 1_000_000, iterations: MEASURED_ROUNDS };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = Number(argv[index + 1]);
    if (flag === "--rows" && Number.isInteger(value)) options.rows = value;
    else if (flag === "--iterations" && Number.isInteger(value)) options.iterations = value;
    else continue;
    index++;
  }
  return options;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
