/**
 * Webhook delivery benchmark: events written through the outbox, handed to the embedded Inngest
 * engine, run by the real `deliver-webhook` function over the real SDK `serve()` handler, and
 * sent, signed, to a receiver on 127.0.0.1. All in one process, as in embedded mode.
 *
 *   createdb gatehouse_bench_hooks   # or leave DATABASE_URL unset for a throw-away PGlite
 *   DATABASE_URL=postgres://…/gatehouse_bench_hooks \
 *     npx tsx --conditions=react-server bench/webhooks.ts [--events 100] [--endpoints 10]
 *
 * Each event goes to every endpoint (one organization, `--endpoints` endpoints), so it makes
 * events × endpoints deliveries. Measured per delivery: emit (commit) → the receiver has the
 * request, and the time to drain them all. Deliveries to one endpoint go one at a time (the
 * function's per-endpoint concurrency), so parallelism is at most the number of endpoints.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";

// Before anything reads the environment: a local receiver needs private targets allowed.
process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS ??= "true";
process.env.GATEHOUSE_EMBEDDED_DB ??= "memory://";

const args = parseArgs(process.argv.slice(2));

async function main() {
  const { and, count, eq, inArray } = await import("drizzle-orm");
  const { closeDatabase, db } = await import("@/db/client");
  const { webhookDeliveries } = await import("@/db/schema");
  const { migrateDatabase } = await import("@/db/migrate");
  const { inngest } = await import("@/inngest/client");
  const { startEmbeddedEngine } = await import("@/inngest/engine");
  const { deliverWebhook } = await import("@/inngest/functions/deliver-webhook");
  const { serve } = await import("inngest/node");
  const { env } = await import("@/lib/env");
  const { createOrganization } = await import("@/lib/organizations");
  const { operatorScope } = await import("@/lib/organizations/scope");
  const { createEndpoint } = await import("@/lib/webhooks/endpoints");
  const { dispatchEvents, emitEvent } = await import("@/lib/webhooks/outbox");

  await migrateDatabase();
  const receiver = await startReceiver();
  const app = http.createServer(serve({ client: inngest, functions: [deliverWebhook] }));
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/api/inngest`;
  const engine = await startEmbeddedEngine({ appUrl, environment: `bench-${Date.now()}` });
  await engine.sync();

  try {
    const organization = await createOrganization({ name: `Bench ${Date.now()}` });
    for (let n = 0; n < args.endpoints; n++) {
      await createEndpoint(operatorScope, {
        url: `${receiver.url}/${n}`,
        organization_id: organization.id,
        event_types: ["webhook.test"],
      });
    }
    const total = args.events * args.endpoints;
    console.log(
      `${args.events} events × ${args.endpoints} endpoints = ${total} deliveries ` +
        `(${env.embedded ? "PGlite" : "PostgreSQL"}, ${os.cpus().length} CPUs, load ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")})`,
    );

    const emittedAt = new Map<string, number>();
    const started = performance.now();
    let emitMs = 0;
    for (let n = 0; n < args.events; n++) {
      const before = performance.now();
      const emitted = await db.transaction((tx) =>
        emitEvent(tx, {
          type: "webhook.test",
          organizationId: organization.id,
          data: { endpoint_id: "bench", message: `#${n}` },
        }),
      );
      emittedAt.set(emitted.eventId, Date.now());
      await dispatchEvents(emitted);
      emitMs += performance.now() - before;
    }
    await receiver.waitFor(total, 600_000);
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
      ) < total
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const latencies = receiver.requests
      .map((request) => request.at - (emittedAt.get(request.id) ?? request.at))
      .sort((a, b) => a - b);
    const row = (name: string, value: string) => console.log(`  ${name.padEnd(28)} ${value}`);
    row("emit + hand-off per event", `${(emitMs / args.events).toFixed(1)} ms`);
    row("drained in", `${(drainMs / 1000).toFixed(1)} s`);
    row("throughput", `${((total / drainMs) * 1000).toFixed(1)} deliveries/s`);
    row("emit → received p50", `${percentile(latencies, 0.5)} ms`);
    row("emit → received p95", `${percentile(latencies, 0.95)} ms`);
    row("emit → received p99", `${percentile(latencies, 0.99)} ms`);
    row("emit → received max", `${latencies.at(-1)} ms`);
  } finally {
    await engine.stop();
    app.closeAllConnections();
    await new Promise((resolve) => app.close(resolve));
    await receiver.close();
    await closeDatabase();
  }
}

type Received = { id: string; at: number };

async function startReceiver() {
  const requests: Received[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      requests.push({ id: String(request.headers["webhook-id"]), at: Date.now() });
      response.writeHead(204).end();
      for (const waiter of waiting) if (requests.length >= waiter.count) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    waitFor(count: number, timeoutMs: number) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`Only ${requests.length} of ${count} deliveries arrived`)),
          timeoutMs,
        );
        waiting.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function parseArgs(argv: string[]) {
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? Number(argv[index + 1]) : fallback;
  };
  return { events: value("events", 100), endpoints: value("endpoints", 10) };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
