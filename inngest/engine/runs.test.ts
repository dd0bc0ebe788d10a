import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { NonRetriableError } from "inngest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { engineEvents, engineRuns } from "@/db/schema/engine";
import { testDatabase } from "@/tests/support/test-database";
import { finishedRun, fnId, runsOfEvent, startTestApp, type TestApp } from "./test-harness";

// Runs end to end: a real SDK app, the engine, the test database.

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
let app: TestApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("a multi-step function", () => {
  it("runs every step once and completes with memoized results", async () => {
    const bodies: string[] = [];
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "greet", triggers: [{ event: "test/greet" }] },
        async ({ event, step }) => {
          const name = await step.run("load-name", () => {
            bodies.push("load-name");
            return String(event.data.name).toUpperCase();
          });
          const greeting = await step.run("compose", () => {
            bodies.push("compose");
            return `Hello, ${name}`;
          });
          return { greeting };
        },
      ),
    ]);

    const { ids } = await app.client.send({ name: "test/greet", data: { name: "ada" } });
    const run = await finishedRun(ids[0] as string);

    expect(run.status).toBe("completed");
    expect(run.functionId).toBe(fnId("greet"));
    expect(run.output).toEqual({ greeting: "Hello, ADA" });
    expect(bodies).toEqual(["load-name", "compose"]);
    expect(run.steps).toEqual({
      [sha1("load-name")]: { type: "data", data: "ADA" },
      [sha1("compose")]: { type: "data", data: "Hello, ADA" },
    });
    expect(run.stepStack).toEqual([sha1("load-name"), sha1("compose")]);
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();
  });

  it("runs parallel steps and passes their results on", async () => {
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "fan-out", triggers: [{ event: "test/fan-out" }] },
        async ({ step }) => {
          const [a, b, c] = await Promise.all([
            step.run("a", () => 1),
            step.run("b", () => 2),
            step.run("c", () => 3),
          ]);
          return a + b + c;
        },
      ),
    ]);
    const { ids } = await app.client.send({ name: "test/fan-out", data: {} });
    const run = await finishedRun(ids[0] as string);
    expect(run.status).toBe("completed");
    expect(run.output).toBe(6);
    expect(Object.keys(run.steps)).toHaveLength(3);
  });

  it("starts functions whose trigger is a wildcard", async () => {
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "audit", triggers: [{ event: "billing/*" }] },
        async ({ event }) => event.name,
      ),
    ]);
    const { ids } = await app.client.send({ name: "billing/invoice.paid", data: {} });
    const run = await finishedRun(ids[0] as string);
    expect(run.output).toBe("billing/invoice.paid");
  });
});

describe("sleeps", () => {
  it("sleeps, frees the worker, and resumes after the duration", async () => {
    app = await startTestApp((client) => [
      client.createFunction({ id: "nap", triggers: [{ event: "test/nap" }] }, async ({ step }) => {
        const before = await step.run("before", () => Date.now());
        await step.sleep("nap", "1s");
        const after = await step.run("after", () => Date.now());
        return after - before;
      }),
    ]);
    const { ids } = await app.client.send({ name: "test/nap", data: {} });
    const sleeping = await vi.waitUntil(
      async () => {
        const [run] = await runsOfEvent(ids[0] as string);
        return run?.status === "sleeping" ? run : undefined;
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(sleeping.wakeAt).not.toBeNull();
    expect(app.engine.stats().inFlight).toBe(0);

    const run = await finishedRun(ids[0] as string);
    expect(run.status).toBe("completed");
    expect(run.output as number).toBeGreaterThanOrEqual(1000);
    expect(run.steps[sha1("nap")]).toEqual({ type: "data", data: null });
    // The first call let the SDK choose its execution version; the run keeps it for later calls.
    expect(run.plan.requestVersion).toBe(2);
  });
});

describe("retries", () => {
  it("retries a step that throws, then completes", async () => {
    let calls = 0;
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "flaky", retries: 3, triggers: [{ event: "test/flaky" }] },
        async ({ step }) => {
          return step.run("call-partner", () => {
            calls++;
            if (calls < 3) throw new Error(`partner down (${calls})`);
            return "ok";
          });
        },
      ),
    ]);
    const { ids } = await app.client.send({ name: "test/flaky", data: {} });
    const run = await finishedRun(ids[0] as string);
    expect(run.status).toBe("completed");
    expect(run.output).toBe("ok");
    expect(calls).toBe(3);
    // The attempt counter belongs to the step and starts again after it succeeds.
    expect(run.attempt).toBe(0);
  });

  it("fails a function that always throws after its retries and announces the failure", async () => {
    let attempts = 0;
    let handled: unknown;
    app = await startTestApp((client) => [
      client.createFunction(
        {
          id: "doomed",
          retries: 2,
          triggers: [{ event: "test/doomed" }],
          onFailure: async ({ error }: { error: Error }) => {
            handled = error.message;
          },
        },
        async ({ step }) => {
          await step.run("never-works", () => {
            attempts++;
            throw new Error("still broken");
          });
        },
      ),
    ]);
    const { ids } = await app.client.send({ name: "test/doomed", data: {} });
    const run = await finishedRun(ids[0] as string);

    expect(run.status).toBe("failed");
    expect(attempts).toBe(3);
    expect(run.error).toMatchObject({ message: "still broken" });
    expect(run.steps[sha1("never-works")]).toMatchObject({ type: "error" });
    await vi.waitUntil(() => handled, { timeout: 10_000, interval: 20 });
    expect(handled).toBe("still broken");
  });

  it("does not retry a NonRetriableError", async () => {
    let attempts = 0;
    app = await startTestApp((client) => [
      client.createFunction({ id: "refuse", triggers: [{ event: "test/refuse" }] }, async () => {
        attempts++;
        throw new NonRetriableError("bad input");
      }),
    ]);
    const { ids } = await app.client.send({ name: "test/refuse", data: {} });
    const run = await finishedRun(ids[0] as string);
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ name: "NonRetriableError", message: "bad input" });
    expect(attempts).toBe(1);
  });

  it("fails clearly on a step type the engine does not implement", async () => {
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "waiter", triggers: [{ event: "test/waiter" }] },
        async ({ step }) => {
          await step.waitForEvent("approval", { event: "test/approved", timeout: "1h" });
        },
      ),
    ]);
    const { ids } = await app.client.send({ name: "test/waiter", data: {} });
    const run = await finishedRun(ids[0] as string);
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ name: "UnsupportedByEmbeddedEngine" });
  });
});

describe("event intake", () => {
  it("fails only the run whose step result cannot be stored, not the runs written with it", async () => {
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "store-this", triggers: [{ event: "test/store" }], retries: 1 },
        async ({ event, step }) =>
          // PostgreSQL's jsonb refuses the NUL character: this result can never be written.
          step.run("result", () => (event.data.bad ? "bad \u0000 value" : "fine")),
      ),
    ]);
    const { ids } = await app.client.send([
      { name: "test/store", data: { bad: true } },
      ...Array.from({ length: 5 }, () => ({ name: "test/store", data: { bad: false } })),
    ]);
    const [bad, ...good] = await Promise.all(ids.map((id) => finishedRun(id)));
    expect(bad?.status).toBe("failed");
    expect(bad?.error).toMatchObject({ name: "StorageError" });
    // The database's reason, not the statement with the run's data in it.
    expect(String(bad?.error?.message)).not.toContain("engine_runs");
    for (const run of good) expect(run).toMatchObject({ status: "completed", output: "fine" });
  });

  it("starts no second run for an event id seen before", async () => {
    app = await startTestApp((client) => [
      client.createFunction({ id: "once", triggers: [{ event: "test/once" }] }, async () => "done"),
    ]);
    const first = await app.client.send({ id: "order-42", name: "test/once", data: {} });
    const second = await app.client.send({ id: "order-42", name: "test/once", data: {} });
    await finishedRun(first.ids[0] as string);

    const runs = await testDatabase()
      .select()
      .from(engineRuns)
      .where(
        and(eq(engineRuns.environment, app.environment), eq(engineRuns.functionId, fnId("once"))),
      );
    expect(runs).toHaveLength(1);
    expect(runs[0]?.event.id).toBe("order-42");
    expect(await runsOfEvent(second.ids[0] as string)).toHaveLength(0);
  });

  it("answers a retried send (same id seed) with the same ids and no new runs", async () => {
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "seeded", triggers: [{ event: "test/seeded" }] },
        async () => "done",
      ),
    ]);
    const eventUrl = `${app.engine.url}/e/${app.engine.sdkConnection.eventKey}`;
    const send = () =>
      fetch(eventUrl, {
        method: "POST",
        headers: { "x-inngest-event-id-seed": `${Date.now()},AAECAwQFBgcICQ==` },
        body: JSON.stringify([{ name: "test/seeded", data: { n: 1 } }]),
      }).then((response) => response.json() as Promise<{ ids: string[]; status: number }>);
    const seed = `${Date.now()},AAECAwQFBgcICQ==`;
    const post = () =>
      fetch(eventUrl, {
        method: "POST",
        headers: { "x-inngest-event-id-seed": seed },
        body: JSON.stringify([{ name: "test/seeded", data: { n: 1 } }]),
      }).then((response) => response.json() as Promise<{ ids: string[]; status: number }>);
    const first = await post();
    const again = await post();
    expect(first.status).toBe(200);
    expect(again.ids).toEqual(first.ids);
    await finishedRun(first.ids[0] as string);
    expect(await runsOfEvent(first.ids[0] as string)).toHaveLength(1);
    // A different seed is a different send.
    const other = await send();
    expect(other.ids[0]).not.toBe(first.ids[0]);
  });

  it("rejects an event without a name like Inngest does", async () => {
    app = await startTestApp(() => []);
    const response = await fetch(`${app.engine.url}/e/${app.engine.sdkConnection.eventKey}`, {
      method: "POST",
      body: JSON.stringify({ data: {} }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 400 });
  });

  it("keeps events sent before the app answered and runs them after the sync", async () => {
    const { startEmbeddedEngine } = await import("./index");
    const { createServer } = await import("node:http");
    const { serve } = await import("inngest/node");
    const { Inngest } = await import("inngest");
    // Reserve a port for an app that is not up yet.
    const placeholder = createServer();
    await new Promise<void>((resolve) => placeholder.listen(0, "127.0.0.1", resolve));
    const port = (placeholder.address() as { port: number }).port;
    await new Promise((resolve) => placeholder.close(resolve));
    const appUrl = `http://127.0.0.1:${port}/api/inngest`;

    const engine = await startEmbeddedEngine({
      appUrl,
      db: testDatabase(),
      environment: `test-late-${port}`,
    });
    try {
      const client = new Inngest({ id: "late-app", ...engine.sdkConnection });
      const { ids } = await client.send({ name: "test/early", data: {} });
      expect(engine.isSynced).toBe(false);
      const [stored] = await testDatabase()
        .select()
        .from(engineEvents)
        .where(eq(engineEvents.id, ids[0] as string));
      expect(stored?.triggeredAt).toBeNull();

      const fn = client.createFunction(
        { id: "early", triggers: [{ event: "test/early" }] },
        async () => "late but done",
      );
      const server = createServer(serve({ client, functions: [fn] }));
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      try {
        const run = await finishedRun(ids[0] as string);
        expect(run.output).toBe("late but done");
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    } finally {
      await engine.stop();
    }
  });
});
