import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { engineLeases } from "@/db/schema/engine";
import { testDatabase } from "@/tests/support/test-database";
import { acquireLease, LeaseHeldError } from "./lease";
import { finishedRun, runsOfEvent, startTestApp, type TestApp } from "./test-harness";

// Everything a run needs survives the engine: stop it at any point, start another on the same
// database, and the run carries on from what was stored.

let app: TestApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("restart", () => {
  it("resumes a sleeping run in a new engine and completes it", async () => {
    const bodies: string[] = [];
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "dozer", triggers: [{ event: "test/dozer" }] },
        async ({ step }) => {
          await step.run("before", () => bodies.push("before"));
          await step.sleep("doze", "1s");
          await step.run("after", () => bodies.push("after"));
          return "woke up";
        },
      ),
    ]);
    const { ids } = await app.client.send({ name: "test/dozer", data: {} });
    await vi.waitUntil(
      async () => (await runsOfEvent(ids[0] as string))[0]?.status === "sleeping",
      { timeout: 10_000, interval: 20 },
    );

    const engine = await app.restartEngine();
    expect(engine.stats().openRuns).toBe(1);

    const run = await finishedRun(ids[0] as string);
    expect(run.status).toBe("completed");
    expect(run.output).toBe("woke up");
    expect(bodies).toEqual(["before", "after"]);
  });

  it("runs a step again when the engine stopped while it was in flight (at-least-once)", async () => {
    const bodies: string[] = [];
    let releaseSlowStep: () => void = () => {};
    let slowStepStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      slowStepStarted = resolve;
    });
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "interrupted", triggers: [{ event: "test/interrupted" }] },
        async ({ step }) => {
          await step.run("first", () => bodies.push("first"));
          await step.run("slow", async () => {
            bodies.push("slow");
            if (bodies.filter((body) => body === "slow").length === 1) {
              slowStepStarted();
              await new Promise<void>((resolve) => {
                releaseSlowStep = resolve;
              });
            }
          });
          return "finished";
        },
      ),
    ]);
    const { ids } = await app.client.send({ name: "test/interrupted", data: {} });
    await started;

    // Like a crash: the answer of the call in flight is lost.
    await app.restartEngine();
    releaseSlowStep();

    const run = await finishedRun(ids[0] as string);
    expect(run.status).toBe("completed");
    expect(bodies).toEqual(["first", "slow", "slow"]);
  });

  it("keeps a retry's wait across a restart", async () => {
    let attempts = 0;
    app = await startTestApp(
      (client) => [
        client.createFunction(
          { id: "patient", triggers: [{ event: "test/patient" }] },
          async ({ step }) => {
            await step.run("try", () => {
              attempts++;
              if (attempts === 1) throw new Error("not yet");
            });
          },
        ),
      ],
      { backoff: () => 800 },
    );
    const { ids } = await app.client.send({ name: "test/patient", data: {} });
    const waiting = await vi.waitUntil(
      async () => {
        const [run] = await runsOfEvent(ids[0] as string);
        return run?.attempt === 1 && run.wakeAt ? run : undefined;
      },
      { timeout: 10_000, interval: 20 },
    );
    await app.restartEngine();

    const run = await finishedRun(ids[0] as string);
    expect(run.status).toBe("completed");
    expect(attempts).toBe(2);
    expect(Date.now()).toBeGreaterThanOrEqual((waiting.wakeAt as Date).getTime());
  });
});

describe("the lease", () => {
  it("refuses a second engine while another live process serves the environment", async () => {
    const environment = `lease-${randomUUID()}`;
    await testDatabase().insert(engineLeases).values({
      environment,
      owner: "someone-else",
      host: "another-host",
      pid: 1,
    });
    await expect(
      acquireLease(testDatabase(), environment, "me", { waitMs: 0 }),
    ).rejects.toBeInstanceOf(LeaseHeldError);
  });

  it("takes over at once from a process on this host that no longer exists", async () => {
    const environment = `lease-${randomUUID()}`;
    await testDatabase().insert(engineLeases).values({
      environment,
      owner: "crashed",
      host: hostname(),
      // Far above any pid in use.
      pid: 4_000_000,
    });
    const lease = await acquireLease(testDatabase(), environment, "me", { waitMs: 0 });
    const [row] = await testDatabase()
      .select()
      .from(engineLeases)
      .where(eq(engineLeases.environment, environment));
    expect(row?.owner).toBe("me");
    expect(await lease.renew()).toBe(true);
    await lease.release();
  });

  it("takes over a lease whose heartbeat went stale", async () => {
    const environment = `lease-${randomUUID()}`;
    await testDatabase()
      .insert(engineLeases)
      .values({
        environment,
        owner: "silent",
        host: "another-host",
        pid: 1,
        heartbeatAt: new Date(Date.now() - 120_000),
      });
    const lease = await acquireLease(testDatabase(), environment, "me", { waitMs: 0 });
    expect(lease.owner).toBe("me");
    await lease.release();
  });
});
