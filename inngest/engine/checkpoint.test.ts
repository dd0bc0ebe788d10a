import { afterEach, describe, expect, it } from "vitest";
import { hashedSigningKey } from "./signing";
import { finishedRun, startTestApp, type TestApp } from "./test-harness";

// Async checkpointing (the SDK's default when the server names the function and the call):
// the SDK runs step after step within one call request and reports each finished step to
// `/v1/checkpoint/{runId}/async` before going on.

let app: TestApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("async checkpointing", () => {
  it("runs a function's steps in one call, each stored as it finishes", async () => {
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "three-steps", triggers: [{ event: "test/three" }] },
        async ({ step }) => {
          const a = await step.run("a", () => 1);
          const b = await step.run("b", () => a + 1);
          const c = await step.run("c", () => b + 1);
          return { sum: a + b + c };
        },
      ),
    ]);
    const before = app.callRequests;
    const { ids } = await app.client.send({ name: "test/three", data: {} });
    const run = await finishedRun(ids[0] as string);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ sum: 6 });
    expect(app.callRequests - before).toBe(1);
    expect(run.stepStack).toHaveLength(3);
    expect(run.stepStack.map((id) => run.steps[id])).toEqual([
      { type: "data", data: 1 },
      { type: "data", data: 2 },
      { type: "data", data: 3 },
    ]);
  });

  it("calls once per step when a function turns checkpointing off", async () => {
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "no-checkpoints", triggers: [{ event: "test/plain" }], checkpointing: false },
        async ({ step }) => {
          const a = await step.run("a", () => 1);
          const b = await step.run("b", () => a + 1);
          return a + b;
        },
      ),
    ]);
    const before = app.callRequests;
    const { ids } = await app.client.send({ name: "test/plain", data: {} });
    const run = await finishedRun(ids[0] as string);
    expect(run.output).toBe(3);
    expect(app.callRequests - before).toBe(3);
  });

  it("does not run a checkpointed step again after a crash later in the same call", async () => {
    const bodies: string[] = [];
    let reachedSlowStep: () => void = () => {};
    const reached = new Promise<void>((resolve) => {
      reachedSlowStep = resolve;
    });
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "crash-after-checkpoint", triggers: [{ event: "test/crash" }] },
        async ({ step }) => {
          await step.run("first", () => bodies.push("first"));
          await step.run("slow", async () => {
            bodies.push("slow");
            if (bodies.filter((body) => body === "slow").length === 1) {
              reachedSlowStep();
              // Never answers: the engine is replaced while this call is in flight.
              await new Promise(() => {});
            }
          });
          return "done";
        },
      ),
    ]);
    const { ids } = await app.client.send({ name: "test/crash", data: {} });
    await reached;
    await app.restartEngine();
    const run = await finishedRun(ids[0] as string);
    expect(run.status).toBe("completed");
    expect(bodies).toEqual(["first", "slow", "slow"]);
  });

  it("refuses checkpoints without the app's key, malformed ones, and stale ones", async () => {
    const signingKey = "signkey-test-0123456789abcdef0123456789abcdef";
    app = await startTestApp(() => [], { signingKey });
    const post = (body: unknown, bearer?: string) =>
      fetch(`${app?.engine.url}/v1/checkpoint/01RUN/async`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: JSON.stringify(body),
      });
    const key = hashedSigningKey(signingKey);
    const valid = { run_id: "01RUN", fn_id: "f", qi_id: "q", steps: [{ op: "StepRun", id: "a" }] };

    expect((await post(valid)).status).toBe(401);
    expect((await post(valid, "signkey-test-wrong")).status).toBe(401);
    const malformed = await post({ steps: "no" }, key);
    expect(malformed.status).toBe(400);
    // No call of this engine has that id (the run is not even open): the SDK must stop.
    const stale = await post(valid, key);
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ status: 409 });
  });
});
