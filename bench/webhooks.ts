/**
 * Webhook delivery benchmark: events written through the outbox, handed to the embedded Inngest
 * engine, run by the real `deliver-webhook` function over the real SDK `serve()` handler, and
 * sent, signed, to a receiver on 127.0.0.1 (a child process, as the customer's server would be).
 * Emitter, engine and function share one process, as in embedded mode, but `serve()` answers on
 * a plain Node server rather than behind `next start`, so Next's routing of each call request is
 * not measured.
 *
 *   createdb gatehouse_bench_hooks   # or leave DATABASE_URL unset for a throw-away PGlite
 *   DATABASE_URL=postgres://…/gatehouse_bench_hooks \
 *     npx tsx --conditions=react-server bench/webhooks.ts [--events 100] [--endpoints 10] \
 *       [--steady-seconds 10] [--producers 4] [--shapes fan-out,one]
 *
 * Two traffic shapes, each a burst (--events × --endpoints deliveries, emitted by --producers
 * concurrent loops, the app's requests) then a steady stream at half the burst's rate
 * (--steady-seconds long), for the first-attempt latency of an event that does not queue:
 *   - 1 event → N endpoints: one organization with --endpoints endpoints, every event to all;
 *   - 1 event → 1 endpoint: --endpoints organizations with one endpoint each, events in turn.
 * Measured per delivery: emit (commit) → the receiver has the request, and the time to drain
 * them all. Deliveries to one endpoint go one at a time (the function's per-endpoint
 * concurrency), so parallelism is at most the number of endpoints.
 *
 * Then the floor, for comparison: a plain Node loop that signs the same kind of event for every
 * endpoint and POSTs it with the same sender (`sendOutboundRequest`) to the same receiver, one
 * event after the other, with no database, engine or SDK in between.
 *
 * Results go to stdout and to the "webhook-delivery-throughput" section of bench/RESULTS.md.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { startReceiver } from "./support/receiver";
import { formatLoad, percentile, runLine, writeResultsSection } from "./support/results";

// Before anything reads the environment: a local receiver needs private targets allowed.
process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS ??= "true";
process.env.GATEHOUSE_EMBEDDED_DB ??= "memory://";

const args = parseArgs(process.argv.slice(2));
// Issue 4's targets for the embedded engine.
const TARGET_DELIVERIES_PER_SECOND = 200;
const TARGET_FIRST_ATTEMPT_P50_MS = 50;
const loadAtStart = os.loadavg();

async function main() {
  // The engine's port, which lib/env gives the app's Inngest client: a free one, so that the
  // benchmark can run beside `npm run dev` (whose engine listens on PORT + 10000).
  process.env.INNGEST_ENGINE_PORT ??= String(await freeLoopbackPort());
  const { and, count, eq, inArray } = await import("drizzle-orm");
  const { closeDatabase, connection, db } = await import("@/lib/db");
  const { webhookDeliveries } = await import("@/db/schema");
  const { migrateDatabase } = await import("@/lib/db");
  const { inngest } = await import("@/inngest/client");
  const { startEmbeddedEngine } = await import("@/inngest/engine");
  const { deliverWebhook } = await import("@/inngest/functions/deliver-webhook");
  const { serve } = await import("inngest/node");
  const { env, inngestKeys } = await import("@/lib/env");
  const { createTestEndpoint, createTestOrganization } = await import("@/tests/support/factories");
  const { signingSecrets } = await import("@/lib/webhooks/endpoints");
  const { dispatchEvents, emitEvent } = await import("@/lib/webhooks/outbox");
  const { ATTEMPT_TIMEOUT_MS, signatureHeaders } = await import("@/lib/webhooks/delivery");
  const { sendOutboundRequest } = await import("@/lib/net/outbound-request");

  await migrateDatabase();
  const receiver = await startReceiver();
  const app = http.createServer(serve({ client: inngest, functions: [deliverWebhook] }));
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/api/inngest`;
  // As lib/server/start.ts starts it: on the port and with the keys of the app's client.
  const engine = await startEmbeddedEngine({
    appUrl,
    db: connection().db,
    port: env.inngest.enginePort,
    ...inngestKeys(),
    environment: `bench-${Date.now()}`,
  });
  await engine.sync();

  try {
    // Two traffic shapes over the same number of endpoints: one organization whose every event
    // fans out to all of them, and as many organizations with one endpoint each, whose events
    // go to that one (the usual B2B case: each customer's events to its own endpoint).
    const wide = await createTestOrganization({ name: `Bench wide ${Date.now()}` });
    const endpoints: Awaited<ReturnType<typeof createTestEndpoint>>["endpoint"][] = [];
    const narrow: string[] = [];
    for (let n = 0; n < args.endpoints; n++) {
      const { endpoint } = await createTestEndpoint(wide.id, {
        url: `${receiver.url}/wide/${n}`,
        eventTypes: ["webhook.test"],
      });
      endpoints.push(endpoint);
      const own = await createTestOrganization({ name: `Bench narrow ${Date.now()} ${n}` });
      await createTestEndpoint(own.id, {
        url: `${receiver.url}/narrow/${n}`,
        eventTypes: ["webhook.test"],
      });
      narrow.push(own.id);
    }
    const total = args.events * args.endpoints;
    const database = env.embedded ? "PGlite" : "PostgreSQL";
    console.log(
      `${total} deliveries per burst, ${args.endpoints} endpoints ` +
        `(${database}, ${os.cpus().length} CPUs, load ${formatLoad(os.loadavg())})`,
    );

    /**
     * Emits `events` events of `organizations` (in turn), one every `intervalMs` (0: as fast as
     * the producers go), and waits until every delivery is final. Times each delivery from its
     * commit to the receiver having its first request.
     */
    const run = async (
      name: string,
      shape: Shape,
      events: number,
      intervalMs: number,
    ): Promise<Measurement> => {
      const emittedAt = new Map<string, number>();
      const started = performance.now();
      const cpuAtStart = process.cpuUsage();
      let emitMs = 0;
      let nextEvent = 0;
      // Events come from concurrent requests in the app (sign-ins, API calls), not from one
      // caller waiting for each hand-off: `--producers` loops emit them, each taking the next
      // event when it is due.
      const produce = async () => {
        for (let n = nextEvent++; n < events; n = nextEvent++) {
          const wait = started + n * intervalMs - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          const before = performance.now();
          const emitted = await db.transaction((tx) =>
            emitEvent(tx, {
              type: "webhook.test",
              organizationId: shape.organizations[n % shape.organizations.length] as string,
              data: { endpoint_id: "bench", message: `${name} #${n}` },
            }),
          );
          emittedAt.set(emitted.eventId, Date.now());
          await dispatchEvents(emitted);
          emitMs += performance.now() - before;
        }
      };
      await Promise.all(Array.from({ length: args.producers }, produce));
      const deliveries = events * shape.deliveriesPerEvent;
      await receiver.waitFor((request) => emittedAt.has(request.id), deliveries, 600_000);
      const drainMs = performance.now() - started;
      // Every attempt recorded too, before the engine and the database are closed.
      while (
        Number(
          (
            await db
              .select({ done: count() })
              .from(webhookDeliveries)
              .where(
                and(
                  eq(webhookDeliveries.eventType, "webhook.test"),
                  inArray(webhookDeliveries.status, ["success", "failed"]),
                  inArray(webhookDeliveries.eventId, [...emittedAt.keys()]),
                ),
              )
          )[0]?.done,
        ) < deliveries
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const row = measurement(
        name,
        deliveries,
        drainMs,
        receiver.requests
          .filter((request) => emittedAt.has(request.id))
          .map((request) => request.at - (emittedAt.get(request.id) ?? request.at)),
        {
          shape: shape.name,
          emitMsPerEvent: emitMs / events,
          cpuMsPerDelivery: cpuMs(process.cpuUsage(cpuAtStart)) / deliveries,
        },
      );
      printMeasurement(row);
      return row;
    };

    const shapes = (
      [
        {
          key: "fan-out",
          name: `1 event → ${args.endpoints} endpoints`,
          organizations: [wide.id],
          deliveriesPerEvent: args.endpoints,
        },
        { key: "one", name: "1 event → 1 endpoint", organizations: narrow, deliveriesPerEvent: 1 },
      ] satisfies Shape[]
    ).filter((shape) => args.shapes.includes(shape.key));
    const engineRows: Measurement[] = [];
    for (const shape of shapes) {
      const bursts = total / shape.deliveriesPerEvent;
      const burst = await run("burst", shape, bursts, 0);
      // Then a steady stream at half the burst's rate: what one event waits when the engine
      // keeps up, rather than its place in a queue of a thousand.
      const eventsPerSecond = Math.max(1, burst.perSecond / 2 / shape.deliveriesPerEvent);
      const steady = await run(
        `steady ${(eventsPerSecond * shape.deliveriesPerEvent).toFixed(0)}/s`,
        shape,
        Math.max(10, Math.round(eventsPerSecond * args.steadySeconds)),
        1000 / eventsPerSecond,
      );
      engineRows.push(burst, steady);
    }

    // The floor: the same signed POSTs from a plain loop, one event at a time, to every endpoint
    // at once (one request in flight per endpoint, as the function's concurrency allows).
    const floorSentAt = new Map<string, number>();
    const floorStarted = performance.now();
    const floorCpuAtStart = process.cpuUsage();
    for (let n = 0; n < args.events; n++) {
      const eventId = `evt_floor_${n}_${Date.now()}`;
      floorSentAt.set(eventId, Date.now());
      const body = JSON.stringify({
        id: eventId,
        type: "webhook.test",
        occurred_at: new Date().toISOString(),
        organization_id: wide.id,
        data: { endpoint_id: "bench", message: `#${n}` },
      });
      await Promise.all(
        endpoints.map((endpoint) => {
          const now = new Date();
          return sendOutboundRequest({
            url: endpoint.url,
            headers: {
              "content-type": "application/json",
              ...signatureHeaders({ eventId, body, secrets: signingSecrets(endpoint, now) }, now),
            },
            body,
            timeoutMs: ATTEMPT_TIMEOUT_MS,
          });
        }),
      );
    }
    const floorDrainMs = performance.now() - floorStarted;
    const floorCpuMs = cpuMs(process.cpuUsage(floorCpuAtStart));
    await receiver.waitFor((request) => floorSentAt.has(request.id), total, 60_000);
    const floorRow = measurement(
      "floor: plain Node loop",
      total,
      floorDrainMs,
      receiver.requests
        .filter((request) => floorSentAt.has(request.id))
        .map((request) => request.at - (floorSentAt.get(request.id) ?? request.at)),
      {
        shape: `1 event → ${args.endpoints} endpoints`,
        emitMsPerEvent: null,
        cpuMsPerDelivery: floorCpuMs / total,
      },
    );
    printMeasurement(floorRow);

    const report = renderReport([...engineRows, floorRow], { database });
    writeResultsSection("webhook-delivery-throughput", report);
  } finally {
    await engine.stop();
    app.closeAllConnections();
    await new Promise((resolve) => app.close(resolve));
    await receiver.close();
    await closeDatabase();
  }
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/** Where a run's events go: its organizations in turn, each event to this many endpoints. */
type Shape = {
  key: "fan-out" | "one";
  name: string;
  organizations: string[];
  deliveriesPerEvent: number;
};

type Measurement = {
  name: string;
  shape: string;
  deliveries: number;
  drainMs: number;
  perSecond: number;
  /** Emit (one transaction) + hand-off to the engine, per event; null for the floor. */
  emitMsPerEvent: number | null;
  /** CPU time of this process (user + system), all threads, per delivery. */
  cpuMsPerDelivery: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
};

/** Latencies are event → the receiver has the request (the first attempt), in ms. */
function measurement(
  name: string,
  deliveries: number,
  drainMs: number,
  latencies: number[],
  about: { shape: string; emitMsPerEvent: number | null; cpuMsPerDelivery: number },
): Measurement {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    name,
    ...about,
    deliveries,
    drainMs,
    perSecond: (deliveries / drainMs) * 1000,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
  };
}

function printMeasurement(result: Measurement): void {
  const row = (name: string, value: string) => console.log(`  ${name.padEnd(28)} ${value}`);
  console.log(`${result.shape}, ${result.name}:`);
  if (result.emitMsPerEvent !== null) {
    row("emit + hand-off per event", `${result.emitMsPerEvent.toFixed(1)} ms`);
  }
  row("drained in", `${(result.drainMs / 1000).toFixed(1)} s`);
  row("throughput", `${result.perSecond.toFixed(1)} deliveries/s`);
  row("process CPU per delivery", `${result.cpuMsPerDelivery.toFixed(2)} ms`);
  row("emit → received p50", `${result.p50} ms`);
  row("emit → received p95", `${result.p95} ms`);
  row("emit → received p99", `${result.p99} ms`);
  row("emit → received max", `${result.max} ms`);
}

function renderReport(results: Measurement[], run: { database: string }): string {
  const verdict = (met: boolean) => (met ? "yes" : "**no**");
  // A burst measures capacity (its latencies are places in a queue of a thousand); a steady
  // stream, paced below capacity on purpose, measures latency.
  const meets = (result: Measurement) => {
    if (result.emitMsPerEvent === null) return "—";
    if (result.name === "burst") {
      return `${verdict(result.perSecond >= TARGET_DELIVERIES_PER_SECOND)} (deliveries/s)`;
    }
    return `${verdict(result.p50 <= TARGET_FIRST_ATTEMPT_P50_MS)} (first attempt p50)`;
  };
  const lines = [
    "## Webhook delivery throughput (issue 4)",
    "",
    runLine(run.database),
    `${args.events * args.endpoints} deliveries per burst over ${args.endpoints} endpoints (\`npx tsx --conditions=react-server bench/webhooks.ts --events ${args.events} --endpoints ${args.endpoints} --producers ${args.producers}\`).`,
    `Load average (1, 5, 15 min) ${formatLoad(loadAtStart)} at the start, ${formatLoad(os.loadavg())} at the end: the benchmark, its receiver${run.database === "PostgreSQL" ? ", PostgreSQL" : ""} and whatever else runs on the machine share its cores.`,
    "",
    "- **Shapes**: `1 event → N endpoints` is one organization whose every event fans out to all",
    "  N endpoints; `1 event → 1 endpoint` is N organizations with one endpoint each, whose events",
    "  go to that one (each customer's events to its own endpoint).",
    `- **burst**: events emitted as fast as ${args.producers} concurrent producers (requests of the app) can,`,
    "  then drained. Each event is emitted through the outbox (one transaction) and handed to the",
    "  embedded Inngest engine, which runs the real `deliver-webhook` function over the SDK's",
    "  `serve()` handler: sign, POST, record the attempt. Emitter, engine and function share one",
    "  process, as in embedded mode; the emit column is per event, while deliveries run beside it.",
    "  `serve()` answers on a plain Node server here: behind `next start`, every call request also",
    "  passes through Next's router on the same thread, which this benchmark leaves out.",
    `- **steady N/s**: then events at an even pace for ${args.steadySeconds} s, at half the burst's delivery rate:`,
    "  the first-attempt latency of an event that does not wait behind a queue. With fan-out, an",
    "  event's deliveries start together and share the CPU, so the later ones wait for the earlier.",
    "- **floor: plain Node loop**: for each event in turn, the same signed POST to every endpoint at",
    "  once with the same sender (`sendOutboundRequest`), waiting for the answers; no database,",
    "  engine or SDK.",
    "- **CPU per delivery**: this process's CPU time (user + system) over the run, divided by its",
    "  deliveries: emitting, the engine, the SDK and the function all run on its one main",
    "  thread, so a burst's rate is about 1 s divided by it. PostgreSQL and the receiver are",
    "  other processes, not counted.",
    "- Deliveries to one endpoint go one at a time (the function's per-endpoint concurrency), so",
    "  parallelism is at most the number of endpoints.",
    "- First attempt: from the event's emit (engine) or creation (floor) until the receiver has",
    "  the request. The receiver is a separate process (`bench/support/receiver-process.mjs`).",
    `- Targets (issue 4), for the embedded engine: ≥ ${TARGET_DELIVERIES_PER_SECOND} deliveries/s (burst) and first-attempt p50 ≤ ${TARGET_FIRST_ATTEMPT_P50_MS} ms (steady stream).`,
    "",
    "| Shape | Run | Deliveries | Drained in | Deliveries/s | CPU per delivery | Emit + hand-off per event | First attempt p50 | p95 | p99 | max | Meets targets |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...results.map(
      (result) =>
        `| ${result.shape} | ${result.name} | ${result.deliveries} | ${(result.drainMs / 1000).toFixed(1)} s | ${result.perSecond.toFixed(1)} | ${result.cpuMsPerDelivery.toFixed(2)} ms | ${result.emitMsPerEvent === null ? "—" : `${result.emitMsPerEvent.toFixed(1)} ms`} | ${result.p50} ms | ${result.p95} ms | ${result.p99} ms | ${result.max} ms | ${meets(result)} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

function parseArgs(argv: string[]) {
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? Number(argv[index + 1]) : fallback;
  };
  const list = (name: string, fallback: string[]) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? (argv[index + 1] ?? "").split(",") : fallback;
  };
  return {
    events: value("events", 100),
    endpoints: value("endpoints", 10),
    steadySeconds: value("steady-seconds", 10),
    producers: value("producers", 4),
    shapes: list("shapes", ["fan-out", "one"]),
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

async function freeLoopbackPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
