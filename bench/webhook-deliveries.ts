/**
 * Webhook delivery log benchmark: the first page of `/webhooks/<endpoint>` over 100,000
 * deliveries of one endpoint in PostgreSQL, the page's queries and the full server render side
 * by side.
 *
 *   createdb gatehouse_bench   # any PostgreSQL database (it may hold the Auth Logs bench too)
 *   NEXT_DIST_DIR=.next-bench npx next build
 *   DATABASE_URL=postgres://…/gatehouse_bench NEXT_DIST_DIR=.next-bench BENCH_PORT=3312 \
 *     npx tsx --conditions=react-server bench/webhook-deliveries.ts [--deliveries 100000] [--iterations 300]
 *
 * It migrates, tops one bench endpoint up to --deliveries deliveries (with their events and
 * attempts) in three INSERT … SELECT FROM generate_series statements (timed), starts
 * `next start` on BENCH_PORT (default 3312) against the same database, mints a dashboard session
 * for the bootstrap operator admin, then for each filter combination measures
 *   queries — the SQL the page runs: the viewer's scope lookup, then loadDeliveryLogView, the
 *             page's data function, with the same concurrency; no session, rendering or HTTP;
 *   page    — GET /webhooks/<endpoint>?… with that session: auth, scope lookup, queries,
 *             RSC + HTML render.
 * Results go to stdout and to the "webhook-delivery-log" section of bench/RESULTS.md.
 */
import os from "node:os";
import { sql } from "drizzle-orm";
import {
  type DeliveryLogSearchParams,
  loadDeliveryLogSearchParams,
  serializeDeliveryLogSearchParams,
} from "@/app/(dashboard)/webhooks/[endpointId]/search-params";
import { filtersFromSearchParams } from "@/app/(dashboard)/webhooks/[endpointId]/url-filters";
import { loadDeliveryLogView } from "@/lib/dashboard/delivery-log-view";
import { closeDatabase, db, migrateDatabase, rowsOf } from "@/lib/db";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { operatorScope } from "@/lib/organizations/scope";
import { generateWebhookSecret } from "@/lib/signing/standard-webhooks";
import {
  benchOperator,
  lookUpViewerScope,
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
const PORT = Number(process.env.BENCH_PORT ?? 3312);
const BASE = `http://localhost:${PORT}`;
const BENCH_ENDPOINT = "Benchmark: webhook delivery log";

type ViewParams = Partial<DeliveryLogSearchParams>;
type Combination = { name: string; params: ViewParams };

const loadAtStart = os.loadavg()[0] as number;

async function main() {
  if (!env.databaseUrl)
    throw new Error("Set DATABASE_URL to a PostgreSQL database (e.g. gatehouse_bench)");
  await migrateDatabase();
  const endpointId = await benchEndpoint();
  const seeding = await topUp(endpointId, args.deliveries);
  console.log("VACUUM ANALYZE …");
  await vacuumAnalyze(["webhook_events", "webhook_deliveries", "webhook_delivery_attempts"]);
  await settleDatabase();

  const server = await startDashboardServer(PORT);
  try {
    const { userId, cookie } = await benchOperator();
    const combinations = await chooseCombinations(endpointId);
    await warmUpServer(
      combinations.map(
        (combination) =>
          `${BASE}/webhooks/${endpointId}${serializeDeliveryLogSearchParams(combination.params)}`,
      ),
      cookie,
      WARM_UP_ROUNDS,
    );
    const results: PageResult[] = [];
    for (const combination of combinations) {
      const last = await measure(endpointId, combination, { userId, cookie });
      results.push(last);
      console.log(progressLine(last));
    }
    const report = renderReport(results, seeding, await deliveryIndexes());
    console.log(`\n${report}`);
    writeResultsSection("webhook-delivery-log", report);
  } finally {
    server.stop();
    await closeDatabase();
  }
}

/** The bench's own endpoint (an operator endpoint, so it needs no organization), made once. */
async function benchEndpoint(): Promise<string> {
  const [existing] = rowsOf<{ id: string }>(
    await db.execute(
      sql`select id from webhook_endpoints where description = ${BENCH_ENDPOINT} limit 1`,
    ),
  );
  if (existing) return existing.id;
  const id = newId("ep");
  // Straight into the table: nothing is ever sent to it, so its URL needs no DNS check.
  await db.execute(sql`insert into webhook_endpoints (id, url, description, secret, enabled)
    values (${id}, 'https://hooks.bench.invalid/gatehouse', ${BENCH_ENDPOINT},
            ${generateWebhookSecret()}, false)`);
  return id;
}

type Seeding = { rows: number; generated: number; seconds: number | null };

/**
 * Adds deliveries until the endpoint has `rows`: spread over the last 30 days (denser towards
 * now), 86% Success, 10% Failed, 3% Retrying (recent), 1% Queued (very recent), five event types
 * in uneven shares, and the attempts each status implies (Failed = 4, Success = 1–3).
 */
async function topUp(endpointId: string, rows: number): Promise<Seeding> {
  const existing = await countDeliveries(endpointId);
  if (existing >= rows) return { rows: existing, generated: 0, seconds: null };
  const missing = rows - existing;
  const run = `b${Date.now().toString(36)}`;
  console.log(
    `Generating ${missing.toLocaleString("en")} deliveries with their events and attempts …`,
  );
  const started = performance.now();
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into webhook_events (id, type, organization_id, body, occurred_at, created_at)
      select 'evt_' || ${run} || '_' || g, t.type, null,
             json_build_object('id', 'evt_' || ${run} || '_' || g, 'type', t.type,
               'occurred_at', t.at, 'organization_id', null,
               'data', json_build_object('user', json_build_object('id', 'usr_bench_' || (g % 5000),
                 'email', 'user' || (g % 5000) || '@bench.test')))::text,
             t.at, t.at
      from generate_series(1, ${missing}) g
      cross join lateral (
        select now() - (interval '30 days' * power(random(), 1.6)) as at,
               (array['user.login','user.login','user.login','user.login','user.login',
                      'user.signup','user.signup','user.logout','user.logout',
                      'organization.membership_created','webhook.test'])[1 + (g % 11)] as type
        -- g in the subquery makes it run once per row instead of once for the statement.
        where g = g
      ) t`);
    await tx.execute(sql`
      insert into webhook_deliveries (id, event_id, endpoint_id, event_type, status,
        attempt_count, next_attempt_at, sequence, dispatched_at, created_at, updated_at)
      select 'dlv_' || ${run} || '_' || e.g, e.id, ${endpointId}, e.type, s.status,
             case s.status when 'failed' then 4 when 'retrying' then 1 + (e.g % 3)
               when 'queued' then 0 else 1 + (e.g % 7 = 0)::int + (e.g % 31 = 0)::int end,
             case when s.status = 'retrying' then now() + interval '4 minutes' end,
             1, e.created_at, e.created_at, e.created_at
      from (select id, type, created_at, split_part(id, '_', 3)::int as g
            from webhook_events where id like ${`evt_${run}_%`}) e
      cross join lateral (
        select case
          when e.created_at > now() - interval '2 minutes' and e.g % 2 = 0 then 'queued'
          when e.created_at > now() - interval '1 hour' and e.g % 3 = 0 then 'retrying'
          when e.g % 10 = 3 then 'failed'
          else 'success' end as status
      ) s`);
    await tx.execute(sql`
      insert into webhook_delivery_attempts (delivery_id, attempt, trigger, started_at,
        request_url, request_headers, request_body, response_status, response_headers,
        response_body, response_body_truncated, duration_ms, error)
      select d.id, a, 'scheduled', d.created_at + (a - 1) * interval '1 minute',
             'https://hooks.bench.invalid/gatehouse',
             jsonb_build_object('content-type', 'application/json', 'webhook-id', d.event_id,
               'webhook-timestamp', extract(epoch from d.created_at)::bigint::text,
               'webhook-signature', 'v1,' || md5(d.id || a)),
             '{}',
             case when d.status = 'success' and a = d.attempt_count then 200
                  when a % 2 = 0 then null else 503 end,
             '{"content-type":"text/plain"}'::jsonb,
             case when d.status = 'success' and a = d.attempt_count then 'ok' else 'unavailable' end,
             false, 20 + (a * 37 + length(d.id)) % 400,
             case when a % 2 = 0 and not (d.status = 'success' and a = d.attempt_count)
                  then 'Connection failed: ECONNREFUSED' end
      from webhook_deliveries d
      cross join lateral generate_series(1, d.attempt_count) a
      where d.id like ${`dlv_${run}_%`}`);
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(`  done in ${seconds.toFixed(1)} s`);
  return { rows: await countDeliveries(endpointId), generated: missing, seconds };
}

async function countDeliveries(endpointId: string): Promise<number> {
  const [row] = rowsOf<{ n: string | number }>(
    await db.execute(
      sql`select count(*) as n from webhook_deliveries where endpoint_id = ${endpointId}`,
    ),
  );
  return Number(row?.n ?? 0);
}

/** Filter combinations over the generated log: broad, narrow, rare and mixed. */
async function chooseCombinations(endpointId: string): Promise<Combination[]> {
  const firstPage = await loadDeliveryLogView(operatorScope, endpointId, {}, { limit: 25 });
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
  return [
    { name: "none", params: {} },
    { name: "none, page 2 (cursor)", params: { cursor: firstPage.page.nextCursor } },
    { name: "status=failed", params: { status: ["failed"] } },
    { name: "status=success,failed", params: { status: ["success", "failed"] } },
    { name: "status=queued,retrying (rare)", params: { status: ["queued", "retrying"] } },
    { name: "type=user.login", params: { type: "user.login" } },
    { name: "type=webhook.test (rare)", params: { type: "webhook.test" } },
    { name: "last 5 minutes", params: { range: "5m" } },
    { name: "last hour", params: { range: "1h" } },
    { name: "last 24 h", params: { range: "24h" } },
    { name: "last 7 days", params: { range: "7d" } },
    { name: "24 h + failed", params: { range: "24h", status: ["failed"] } },
    {
      name: "7 days + user.signup + failed",
      params: { range: "7d", type: "user.signup", status: ["failed"] },
    },
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
  endpointId: string,
  combination: Combination,
  { userId, cookie }: { userId: string; cookie: string },
): Promise<PageResult> {
  const query = serializeDeliveryLogSearchParams(combination.params);
  // What the page itself reads from that URL.
  const parsed = loadDeliveryLogSearchParams(query);
  return measurePage({
    name: combination.name,
    query,
    url: `${BASE}/webhooks/${endpointId}${query}`,
    cookie,
    load: async () => {
      const scope = await lookUpViewerScope(userId);
      const { filters } = filtersFromSearchParams(parsed);
      return loadDeliveryLogView(scope, endpointId, filters, {
        limit: parsed.limit,
        cursor: parsed.cursor,
      });
    },
    iterations: args.iterations,
    warmUp: WARM_UP_ROUNDS,
  });
}

/** The indexes the run had: the access paths of the log change with them. */
async function deliveryIndexes(): Promise<string[]> {
  const rows = rowsOf<{ definition: string }>(
    await db.execute(sql`select indexdef as definition from pg_indexes
      where tablename = 'webhook_deliveries' order by indexname`),
  );
  return rows.map((row) => row.definition.replace(/^CREATE (UNIQUE )?INDEX /, ""));
}

function renderReport(results: PageResult[], seeding: Seeding, indexes: string[]): string {
  const pass = (result: PageResult) => (result.page.p95 <= TARGET_PAGE_P95_MS ? "yes" : "**no**");
  const lines = [
    "## Webhook delivery log (issue 5)",
    "",
    ...describeRun({
      rows: `${seeding.rows.toLocaleString("en")} deliveries of one endpoint${seeding.seconds === null ? " (already there)" : `; ${seeding.generated.toLocaleString("en")} generated with their events and attempts in ${seeding.seconds.toFixed(1)} s`}.`,
      iterations: args.iterations,
      warmUp: WARM_UP_ROUNDS,
      loadAtStart,
    }),
    "",
    "- **queries**: the SQL the page runs, as it runs it: the viewer's scope lookup (memberships),",
    "  then `loadDeliveryLogView`, the page's data function — endpoint, list page, latest attempts,",
    "  count and chart, replayable-failure count; without session, render or HTTP.",
    "- **page**: `GET /webhooks/<endpoint>?…` from `next start` with a dashboard session cookie:",
    "  session decode, scope lookup, the same queries, React server render to HTML.",
    ...PAGE_TIMING_NOTE,
    `- Target: page p95 ≤ ${TARGET_PAGE_P95_MS} ms server time.`,
    MATCHES_NOTE,
    `- Indexes on webhook_deliveries: ${indexes.map((index) => `\`${index}\``).join("; ")}.`,
    "",
    ...resultsTable(results, [{ heading: "Meets target", cell: pass }]),
    "",
  ];
  return lines.join("\n");
}

function parseArgs(argv: string[]) {
  const options = { deliveries: 100_000, iterations: MEASURED_ROUNDS };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = Number(argv[index + 1]);
    if (flag === "--deliveries" && Number.isInteger(value)) options.deliveries = value;
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
