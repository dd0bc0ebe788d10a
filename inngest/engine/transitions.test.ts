import { describe, expect, it } from "vitest";
import type { FunctionDefinition } from "./functions";
import {
  answeredRequestVersion,
  type CallOutcome,
  callRequestPayload,
  readCallResponse,
  readCheckpoint,
} from "./protocol";
import { endDueSleeps, newRunState, type RunState } from "./run";
import { applyOutcome, checkpointUpdate } from "./transitions";

// The answer → state rules, without HTTP or a database.

const NOW = 1_000_000;
const fn: FunctionDefinition = {
  id: "app-fn",
  name: "fn",
  maxAttempts: 3,
  concurrency: [],
  cron: [],
  unsupported: [],
};
const backoff = (attempt: number) => attempt * 1_000;

function run(overrides: Partial<RunState> = {}): RunState {
  return {
    ...newRunState({
      id: "RUN1",
      functionId: fn.id,
      eventId: "EVT1",
      event: { id: "EVT1", name: "test/e", data: {}, ts: 0 },
      concurrencyKeys: [],
      throttleKey: null,
    }),
    ...overrides,
  };
}

const ops = (...operations: Array<Record<string, unknown>>): CallOutcome => ({
  kind: "operations",
  operations: operations.map((operation) => ({ id: "", op: "", ...operation })),
});

describe("readCallResponse", () => {
  it("reads 206 operations, a 200 result, and errors with their retry headers", () => {
    expect(
      readCallResponse(
        { status: 206, headers: {}, body: '[{"op":"StepRun","id":"a","data":1}]' },
        NOW,
      ),
    ).toEqual({
      kind: "operations",
      operations: [{ op: "StepRun", id: "a", data: 1 }],
    });
    expect(readCallResponse({ status: 200, headers: {}, body: '{"ok":true}' }, NOW)).toEqual({
      kind: "completed",
      output: { ok: true },
    });
    const refused = readCallResponse(
      {
        status: 400,
        headers: { "x-inngest-no-retry": "true" },
        body: '{"name":"NonRetriableError","message":"no"}',
      },
      NOW,
    );
    expect(refused).toMatchObject({ kind: "error", retriable: false, error: { message: "no" } });
    const later = readCallResponse(
      { status: 500, headers: { "retry-after": "30" }, body: "oops" },
      NOW,
    );
    expect(later).toMatchObject({ kind: "error", retriable: true, retryAfterMs: 30_000 });
    const missing = readCallResponse(
      {
        status: 500,
        headers: {},
        body: '{"message":"Function \\"x\\" was not found in this app; is the app synced correctly?"}',
      },
      NOW,
    );
    expect(missing).toMatchObject({ functionMissing: true });
  });

  it("builds the call body the SDK expects", () => {
    const body = callRequestPayload(
      run({ attempt: 1, steps: { a: { type: "data", data: 1 } }, stack: ["a"], call: "E.7" }),
      fn,
    );
    expect(body).toEqual({
      event: { id: "EVT1", name: "test/e", data: {}, ts: 0 },
      events: [{ id: "EVT1", name: "test/e", data: {}, ts: 0 }],
      steps: { a: { type: "data", data: 1 } },
      ctx: {
        run_id: "RUN1",
        attempt: 1,
        max_attempts: 3,
        fn_id: "app-fn",
        qi_id: "E.7",
        disable_immediate_execution: false,
        use_api: false,
        stack: { stack: ["a"], current: 1 },
      },
      // The SDK has not chosen an execution version for this run yet.
      version: -1,
    });
  });

  it("repeats the execution version the SDK chose for the run, and keeps it through a step", () => {
    const pinned = run({ plan: { planned: [], sleeps: [], requestVersion: 2 } });
    expect(callRequestPayload(pinned, fn).version).toBe(2);
    const { update } = applyOutcome(
      pinned,
      fn,
      ops({ id: "s1", op: "StepRun", data: 1 }),
      NOW,
      backoff,
    );
    expect(update.plan.requestVersion).toBe(2);
  });

  it("reads the execution version from the answer's x-inngest-req-version", () => {
    const answer = (version?: string) => ({
      status: 206,
      headers: version === undefined ? {} : { "x-inngest-req-version": version },
      body: "[]",
    });
    expect(answeredRequestVersion(answer("2"))).toBe(2);
    expect(answeredRequestVersion(answer())).toBeUndefined();
    expect(answeredRequestVersion(answer("two"))).toBeUndefined();
    expect(answeredRequestVersion(answer("-1"))).toBeUndefined();
    expect(answeredRequestVersion(answer(""))).toBeUndefined();
    expect(answeredRequestVersion(answer(" "))).toBeUndefined();
    expect(answeredRequestVersion(answer("1.5"))).toBeUndefined();
  });
});

describe("applyOutcome", () => {
  it("memoizes a step that ran and calls again", () => {
    const { update, next } = applyOutcome(
      run(),
      fn,
      ops({ op: "StepRun", id: "a", data: "A" }),
      NOW,
      backoff,
    );
    expect(next).toEqual({ kind: "call" });
    expect(update).toMatchObject({ status: "running", attempt: 0, startedAt: NOW, stack: ["a"] });
    expect(update.steps).toEqual({ a: { type: "data", data: "A" } });
  });

  it("completes with the function's output", () => {
    const { update, next } = applyOutcome(
      run(),
      fn,
      { kind: "completed", output: 42 },
      NOW,
      backoff,
    );
    expect(next).toEqual({ kind: "finished" });
    expect(update).toMatchObject({ status: "completed", output: 42, finishedAt: NOW });
  });

  it("sleeps until the earliest sleep once no planned step is left", () => {
    const { update, next } = applyOutcome(
      run(),
      fn,
      ops({ op: "Sleep", id: "s", name: "1m" }),
      NOW,
      backoff,
    );
    expect(next).toEqual({ kind: "wait", until: NOW + 60_000 });
    expect(update).toMatchObject({ status: "sleeping", wakeAt: NOW + 60_000 });
    expect(update.plan.sleeps).toEqual([{ id: "s", until: NOW + 60_000 }]);
  });

  it("runs planned steps first, one call each, then wakes the sleep", () => {
    const planned = applyOutcome(
      run(),
      fn,
      ops(
        { op: "Sleep", id: "s", name: "1s" },
        { op: "StepPlanned", id: "p1" },
        { op: "StepPlanned", id: "p2" },
      ),
      NOW,
      backoff,
    );
    expect(planned.next).toEqual({ kind: "call" });
    expect(planned.update.plan.planned).toEqual(["p1", "p2"]);

    const state = run({ plan: planned.update.plan });
    const afterP1 = applyOutcome(
      state,
      fn,
      ops({ op: "StepRun", id: "p1", data: 1 }),
      NOW,
      backoff,
    );
    expect(afterP1.update.plan.planned).toEqual(["p2"]);
    const afterP2 = applyOutcome(
      run({ plan: afterP1.update.plan }),
      fn,
      ops({ op: "StepRun", id: "p2" }),
      NOW,
      backoff,
    );
    expect(afterP2.next).toEqual({ kind: "wait", until: NOW + 1_000 });

    const woken = run({ plan: afterP2.update.plan, steps: {}, stack: [] });
    endDueSleeps(woken, NOW + 1_000);
    expect(woken.steps).toEqual({ s: { type: "data", data: null } });
    expect(woken.unsaved.stack).toEqual(["s"]);
    expect(woken.plan.sleeps).toEqual([]);
  });

  it("retries a throwing step with backoff while attempts remain, then memoizes its error", () => {
    const error = { name: "Error", message: "boom" };
    const retry = applyOutcome(
      run({ attempt: 1 }),
      fn,
      ops({ op: "StepError", id: "x", error }),
      NOW,
      backoff,
    );
    expect(retry.next).toEqual({ kind: "wait", until: NOW + 2_000 });
    expect(retry.update).toMatchObject({ status: "running", attempt: 2, wakeAt: NOW + 2_000 });

    const last = applyOutcome(
      run({ attempt: 2 }),
      fn,
      ops({ op: "StepError", id: "x", error }),
      NOW,
      backoff,
    );
    expect(last.next).toEqual({ kind: "call" });
    expect(last.update.steps).toEqual({ x: { type: "error", error } });
  });

  it("retries a thrown function unless told not to, and honours Retry-After", () => {
    const error = { name: "Error", message: "down" };
    const retry = applyOutcome(
      run(),
      fn,
      { kind: "error", error, retriable: true, retryAfterMs: 30_000 },
      NOW,
      backoff,
    );
    expect(retry.next).toEqual({ kind: "wait", until: NOW + 30_000 });
    const final = applyOutcome(run(), fn, { kind: "error", error, retriable: false }, NOW, backoff);
    expect(final.next).toEqual({ kind: "finished", failure: error });
    expect(final.update).toMatchObject({ status: "failed", error });
    const exhausted = applyOutcome(
      run({ attempt: 2 }),
      fn,
      { kind: "error", error, retriable: true },
      NOW,
      backoff,
    );
    expect(exhausted.update.status).toBe("failed");
  });

  it("fails a run that asks for a step type the engine does not implement", () => {
    const { update } = applyOutcome(
      run(),
      fn,
      ops({ op: "InvokeFunction", id: "i" }),
      NOW,
      backoff,
    );
    expect(update.status).toBe("failed");
    expect(update.error).toMatchObject({ name: "UnsupportedByEmbeddedEngine" });
    expect(String(update.error?.message)).toContain("step.invoke");
  });

  it("writes sleeps that ended before the call together with the call's result", () => {
    const state = run({ steps: { s: { type: "data", data: null } }, stack: ["s"] });
    state.unsaved = { steps: { s: { type: "data", data: null } }, stack: ["s"] };
    const { update } = applyOutcome(
      state,
      fn,
      ops({ op: "StepRun", id: "b", data: 2 }),
      NOW,
      backoff,
    );
    expect(update.stack).toEqual(["s", "b"]);
    expect(Object.keys(update.steps)).toEqual(["s", "b"]);
  });
});

describe("checkpoints", () => {
  it("reads the call id and the finished steps, and refuses anything else", () => {
    expect(
      readCheckpoint({
        run_id: "RUN1",
        fn_id: "app-fn",
        qi_id: "E.7",
        steps: [{ op: "StepRun", id: "a", data: 1, displayName: "a" }],
      }),
    ).toEqual({
      callId: "E.7",
      operations: [{ op: "StepRun", id: "a", data: 1, displayName: "a" }],
    });
    expect(readCheckpoint({ steps: [] })).toBeNull();
    expect(readCheckpoint({ qi_id: "E.7", steps: [{ data: 1 }] })).toBeNull();
    expect(readCheckpoint("nope")).toBeNull();
  });

  it("memoizes finished steps once, with the sleeps that ended before the call", () => {
    const state = run({
      steps: { s: { type: "data", data: null }, a: { type: "data", data: 1 } },
      stack: ["a", "s"],
      startedAt: NOW - 5,
    });
    state.unsaved = { steps: { s: { type: "data", data: null } }, stack: ["s"] };
    const update = checkpointUpdate(
      state,
      [
        { op: "StepRun", id: "a", data: "again" },
        { op: "StepRun", id: "b", data: 2 },
        { op: "StepFailed", id: "c", error: { name: "Error", message: "no" } },
      ],
      NOW,
    );
    expect(update).toMatchObject({
      status: "running",
      stack: ["s", "b", "c"],
      steps: {
        s: { type: "data", data: null },
        b: { type: "data", data: 2 },
        c: { type: "error", error: { name: "Error", message: "no" } },
      },
      startedAt: NOW - 5,
      finishedAt: null,
    });
  });

  it("refuses operations that are not finished steps", () => {
    expect(checkpointUpdate(run(), [{ op: "Sleep", id: "z", name: "1s" }], NOW)).toBe(
      '"Sleep" is not a finished step',
    );
  });
});
