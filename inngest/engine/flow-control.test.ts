import { afterEach, describe, expect, it } from "vitest";
import { finishedRun, startTestApp, type TestApp } from "./test-harness";

// Concurrency and throttle, from the function config the app syncs.

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let app: TestApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("concurrency", () => {
  it("serialises runs per key in creation order while other keys proceed", async () => {
    const log: string[] = [];
    const finishedAt = new Map<string, number>();
    const startedAt = new Map<string, number>();
    app = await startTestApp((client) => [
      client.createFunction(
        {
          id: "deliver",
          concurrency: { limit: 1, key: "event.data.key" },
          triggers: [{ event: "test/deliver" }],
        },
        async ({ event, step }) => {
          const name = String(event.data.name);
          await step.run("prepare", async () => {
            startedAt.set(name, Date.now());
            log.push(`${name}:prepare`);
            await pause(60);
          });
          await step.run("send", async () => {
            log.push(`${name}:send`);
            await pause(60);
            finishedAt.set(name, Date.now());
          });
        },
      ),
    ]);

    const { ids } = await app.client.send([
      { name: "test/deliver", data: { key: "a", name: "a1" } },
      { name: "test/deliver", data: { key: "a", name: "a2" } },
      { name: "test/deliver", data: { key: "a", name: "a3" } },
      { name: "test/deliver", data: { key: "b", name: "b1" } },
    ]);
    for (const id of ids) expect((await finishedRun(id)).status).toBe("completed");

    // Key "a": one run at a time, whole runs in order, even between their steps.
    expect(log.filter((entry) => entry.startsWith("a"))).toEqual([
      "a1:prepare",
      "a1:send",
      "a2:prepare",
      "a2:send",
      "a3:prepare",
      "a3:send",
    ]);
    // Key "b" did not wait for key "a".
    expect(startedAt.get("b1") as number).toBeLessThan(finishedAt.get("a1") as number);
  });

  it("caps steps in flight across a function without a key", async () => {
    let active = 0;
    let peak = 0;
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "capped", concurrency: 2, triggers: [{ event: "test/capped" }] },
        async ({ step }) => {
          await step.run("work", async () => {
            active++;
            peak = Math.max(peak, active);
            await pause(50);
            active--;
          });
        },
      ),
    ]);
    const { ids } = await app.client.send(
      Array.from({ length: 6 }, (_, n) => ({ name: "test/capped", data: { n } })),
    );
    for (const id of ids) expect((await finishedRun(id)).status).toBe("completed");
    expect(peak).toBe(2);
  });
});

describe("throttle", () => {
  it("starts at most `limit` runs at once, then one per period / limit", async () => {
    const starts: number[] = [];
    app = await startTestApp((client) => [
      client.createFunction(
        {
          id: "paced",
          throttle: { limit: 2, period: "1s" },
          triggers: [{ event: "test/paced" }],
        },
        async ({ step }) => {
          await step.run("start", () => {
            starts.push(Date.now());
          });
        },
      ),
    ]);
    const { ids } = await app.client.send(
      Array.from({ length: 5 }, (_, n) => ({ name: "test/paced", data: { n } })),
    );
    for (const id of ids) expect((await finishedRun(id)).status).toBe("completed");

    const first = starts[0] as number;
    const offsets = starts.map((at) => at - first);
    // Two at once; then one every 500 ms (period 1 s / limit 2).
    expect(offsets[1]).toBeLessThan(300);
    expect(offsets[2]).toBeGreaterThanOrEqual(400);
    expect(offsets[3]).toBeGreaterThanOrEqual(900);
    expect(offsets[4]).toBeGreaterThanOrEqual(1400);
  });

  it("keeps separate windows per throttle key", async () => {
    const starts = new Map<string, number[]>();
    app = await startTestApp((client) => [
      client.createFunction(
        {
          id: "per-tenant",
          throttle: { limit: 1, period: "2s", key: "event.data.tenant" },
          triggers: [{ event: "test/per-tenant" }],
        },
        async ({ event, step }) => {
          await step.run("start", () => {
            const tenant = String(event.data.tenant);
            starts.set(tenant, [...(starts.get(tenant) ?? []), Date.now()]);
          });
        },
      ),
    ]);
    const { ids } = await app.client.send([
      { name: "test/per-tenant", data: { tenant: "t1" } },
      { name: "test/per-tenant", data: { tenant: "t2" } },
      { name: "test/per-tenant", data: { tenant: "t1" } },
    ]);
    for (const id of ids) expect((await finishedRun(id)).status).toBe("completed");
    const [t1First, t1Second] = starts.get("t1") as number[];
    const [t2First] = starts.get("t2") as number[];
    expect(Math.abs((t2First as number) - (t1First as number))).toBeLessThan(300);
    expect((t1Second as number) - (t1First as number)).toBeGreaterThanOrEqual(1900);
  });
});
