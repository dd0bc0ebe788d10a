/**
 * Webhook deliveries through the product as it runs: `next start` with the embedded Inngest
 * engine, each event caused by a management API call (`POST /api/v1/webhooks/endpoints/{id}/test`:
 * API key check, outbox transaction, hand-off after commit), each call request of the engine
 * going through Next's router to `/api/inngest`. bench/webhooks.ts measures the same delivery
 * code without Next and without the API; this one measures what an operator gets.
 *
 *   NEXT_DIST_DIR=.next-bench npx next build
 *   DATABASE_URL=postgres://…/gatehouse_bench_hooks NEXT_DIST_DIR=.next-bench \
 *     npx tsx --conditions=react-server bench/webhooks-product.ts [--events 100] \
 *       [--endpoints 10] [--callers 16]
 *
 * (Without DATABASE_URL the server uses its embedded PGlite.) Two shapes, as in bench/webhooks.ts:
 * --events renames of one organization with --endpoints endpoints (each event to all of them),
 * and --events × --endpoints test events to --endpoints organizations of one endpoint each: the
 * same number of deliveries. The
 * events come from --callers concurrent API clients, as fast as the server answers. Measured:
 * the time until the receiver (a child process) has every delivery, each delivery's first
 * attempt from the start of its API call (test events, whose id the API returns), the API calls.
 * Results go to stdout and to the "webhook-delivery-product" section of bench/RESULTS.md.
 */
import os from "node:os";
import { managementApi } from "@/e2e/support/api";
import { type DashboardServer, startDashboardServer, summarize } from "./support/dashboard-server";
import { startReceiver } from "./support/receiver";
import { formatLoad, percentile, runLine, writeResultsSection } from "./support/results";

const args = parseArgs(process.argv.slice(2));
const PORT = Number(process.env.BENCH_PORT ?? 3312);
// Known only to this benchmark and the server it starts.
const API_KEY = "gh_sk_bench_webhooks_product_0123456789abcdef";
const api = managementApi(`http://localhost:${PORT}`, API_KEY);
const TARGET_DELIVERIES_PER_SECOND = 200;
const WARM_UP_DELIVERIES = 200;
const loadAtStart = os.loadavg();

async function main() {
  process.env.GATEHOUSE_BOOTSTRAP_API_KEY = API_KEY;
  process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = "true";
  const leftovers = await unfinishedRuns();
  const receiver = await startReceiver();
  const server = await startDashboardServer(PORT);
  try {
    const shapes = await createShapes(receiver.url);
    const total = args.events * args.endpoints;
    console.log(
      `${total} deliveries per shape from ${args.callers} API callers ` +
        `(${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}, ${os.cpus().length} CPUs)`,
    );
    const results: Result[] = [];
    for (const shape of shapes) {
      // Warm-up: JIT, connection pools and the engine's first runs settle before measuring.
      await burst(
        shape,
        receiver,
        server,
        Math.ceil(WARM_UP_DELIVERIES / shape.deliveriesPerEvent),
      );
      const result = await burst(shape, receiver, server, total / shape.deliveriesPerEvent);
      console.log(
        `${shape.name}: ${result.perSecond.toFixed(1)} deliveries/s, server CPU ${result.serverCpuMsPerDelivery?.toFixed(2) ?? "—"} ms per delivery`,
      );
      results.push(result);
    }
    const report = renderReport(results, leftovers);
    console.log(`\n${report}`);
    writeResultsSection("webhook-delivery-product", report);
  } finally {
    server.stop();
    await receiver.close();
  }
}

/** How a run's events are caused through the API, and how many deliveries each makes. */
type Shape = {
  name: string;
  cause: string;
  deliveriesPerEvent: number;
  /** Causes event number `n`; resolves with its event id when the API answers with one. */
  emit: (n: number) => Promise<string | null>;
};

type Result = {
  shape: Shape;
  deliveries: number;
  drainMs: number;
  perSecond: number;
  /** The server's CPU time over the burst (the API, the engine, the function), per delivery. */
  serverCpuMsPerDelivery: number | null;
  apiMs: { p50: number; p95: number };
  /** Sorted; empty when the API does not name the events it caused. */
  firstAttemptMs: number[];
};

/**
 * The same two shapes as bench/webhooks.ts: one organization whose every event (a rename,
 * `organization.updated`) goes to all --endpoints of its endpoints, and --endpoints
 * organizations with one endpoint each, sent test events in turn.
 */
async function createShapes(receiverUrl: string): Promise<Shape[]> {
  const stamp = Date.now();
  const wide = await api<{ id: string }>("POST", "/organizations", { name: `Bench wide ${stamp}` });
  const narrow: string[] = [];
  for (let n = 0; n < args.endpoints; n++) {
    await api("POST", "/webhooks/endpoints", {
      url: `${receiverUrl}/wide/${n}`,
      organization_id: wide.id,
      event_types: ["organization.updated"],
    });
    const own = await api<{ id: string }>("POST", "/organizations", {
      name: `Bench narrow ${stamp} ${n}`,
    });
    const endpoint = await api<{ id: string }>("POST", "/webhooks/endpoints", {
      url: `${receiverUrl}/narrow/${n}`,
      organization_id: own.id,
      event_types: ["webhook.test"],
    });
    narrow.push(endpoint.id);
  }
  let renames = 0;
  return [
    {
      name: `1 event → ${args.endpoints} endpoints`,
      cause: "`PATCH /organizations/{id}` (a rename: `organization.updated`)",
      deliveriesPerEvent: args.endpoints,
      emit: async () => {
        await api("PATCH", `/organizations/${wide.id}`, {
          name: `Bench wide ${stamp} #${++renames}`,
        });
        return null;
      },
    },
    {
      name: "1 event → 1 endpoint",
      cause: "`POST /webhooks/endpoints/{id}/test`",
      deliveriesPerEvent: 1,
      emit: async (n) => {
        const endpoint = narrow[n % narrow.length] as string;
        const delivery = await api<{ event_id: string }>(
          "POST",
          `/webhooks/endpoints/${endpoint}/test`,
        );
        return delivery.event_id;
      },
    },
  ];
}

/** `events` events from the callers, then waits until the receiver has every delivery. */
async function burst(
  shape: Shape,
  receiver: Awaited<ReturnType<typeof startReceiver>>,
  server: DashboardServer,
  events: number,
): Promise<Result> {
  const cpuAtStart = server.cpuMs();
  const calledAt = new Map<string, number>();
  const apiTimes: number[] = [];
  const startedAt = Date.now();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: args.callers }, async () => {
      for (let n = next++; n < events; n = next++) {
        const at = Date.now();
        const before = performance.now();
        const eventId = await shape.emit(n);
        apiTimes.push(performance.now() - before);
        if (eventId) calledAt.set(eventId, at);
      }
    }),
  );
  const deliveries = events * shape.deliveriesPerEvent;
  // Every earlier delivery had arrived before this burst began, so what arrives now is its own.
  await receiver.waitFor((request) => request.at >= startedAt, deliveries, 300_000);
  const drainMs = performance.now() - started;
  const cpuAtEnd = server.cpuMs();
  const firstAttemptMs = receiver.requests
    .filter((request) => calledAt.has(request.id))
    .map((request) => request.at - (calledAt.get(request.id) ?? request.at))
    .sort((a, b) => a - b);
  return {
    shape,
    deliveries,
    drainMs,
    perSecond: deliveries / (drainMs / 1000),
    serverCpuMsPerDelivery:
      cpuAtStart === null || cpuAtEnd === null ? null : (cpuAtEnd - cpuAtStart) / deliveries,
    apiMs: summarize(apiTimes),
    firstAttemptMs,
  };
}

/**
 * Runs of the server's engine that an earlier server left unfinished in this database (a
 * benchmark that was killed, say): the engine resumes them at start, beside the measured ones.
 */
async function unfinishedRuns(): Promise<number | null> {
  if (!process.env.DATABASE_URL) return null;
  const { closeDatabase, db, rowsOf } = await import("@/lib/db");
  const { migrateDatabase } = await import("@/lib/db");
  const { sql } = await import("drizzle-orm");
  try {
    await migrateDatabase();
    const [row] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from engine_runs
        where environment = 'default' and status in ('queued', 'running', 'sleeping')`),
    );
    return row?.n ?? 0;
  } finally {
    await closeDatabase();
  }
}

function renderReport(results: Result[], leftovers: number | null): string {
  const pick = (sorted: number[], p: number) =>
    sorted.length === 0 ? "—" : `${percentile(sorted, p)} ms`;
  return [
    "## Webhook deliveries through the running product (issue 4)",
    "",
    runLine(process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite"),
    `${args.events * args.endpoints} deliveries per shape, after ${WARM_UP_DELIVERIES} of warm-up (\`npx tsx --conditions=react-server bench/webhooks-product.ts --events ${args.events} --endpoints ${args.endpoints} --callers ${args.callers}\`).`,
    `Load average (1, 5, 15 min) ${formatLoad(loadAtStart)} at the start, ${formatLoad(os.loadavg())} at the end: the benchmark, the server, its receiver and the database share the machine's cores.`,
    "",
    "- `next start` with the embedded engine, as `npm start` runs it. Every event is caused by a",
    `  management API call (API key, the change and its outbox in one transaction, hand-off after`,
    `  commit) from ${args.callers} concurrent API clients, as fast as the server answers them. The engine's`,
    "  call requests go through Next's router to `/api/inngest`. bench/webhooks.ts measures the",
    "  same delivery code without Next and without the API.",
    "- First attempt: from the start of the API call until the receiver (a child process) has",
    "  the request; only where the API answers with the event's id.",
    "- Server CPU per delivery: the CPU time of the server's processes over the burst (API calls,",
    "  outbox, engine, SDK, function), divided by its deliveries; the receiver, the API clients",
    "  and the database are not counted. It tells the code's cost apart from the machine's mood.",
    ...(leftovers
      ? [
          `- **Not a clean run**: the engine resumed ${leftovers} unfinished runs an earlier server left in this database, beside the measured ones.`,
        ]
      : []),
    `- Target (issue 4): ≥ ${TARGET_DELIVERIES_PER_SECOND} deliveries/s.`,
    "",
    "| Shape | Caused by | Deliveries | Drained in | Deliveries/s | Server CPU per delivery | API call p50 | API call p95 | First attempt p50 | p95 | Meets target |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...results.map(
      (result) =>
        `| ${result.shape.name} | ${result.shape.cause} | ${result.deliveries} | ${(result.drainMs / 1000).toFixed(1)} s | ${result.perSecond.toFixed(1)} | ${result.serverCpuMsPerDelivery === null ? "—" : `${result.serverCpuMsPerDelivery.toFixed(2)} ms`} | ${result.apiMs.p50.toFixed(1)} ms | ${result.apiMs.p95.toFixed(1)} ms | ${pick(result.firstAttemptMs, 0.5)} | ${pick(result.firstAttemptMs, 0.95)} | ${result.perSecond >= TARGET_DELIVERIES_PER_SECOND ? "yes" : "**no**"} |`,
    ),
    "",
  ].join("\n");
}

function parseArgs(argv: string[]) {
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(`--${name}`);
    const parsed = index >= 0 ? Number(argv[index + 1]) : fallback;
    return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
  };
  return {
    events: value("events", 100),
    endpoints: value("endpoints", 10),
    callers: value("callers", 16),
  };
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
