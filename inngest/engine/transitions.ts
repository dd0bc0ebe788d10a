import type { EngineMemoizedStep, EngineRunPlan } from "@/db/schema/engine";
import { resolveWakeTime } from "./duration";
import type { FunctionDefinition } from "./functions";
import type { CallOutcome, SerializedError, StepOperation } from "./protocol";
import { toSerializedError } from "./protocol";
import type { RunState, RunUpdate } from "./run";

// What an answer does to a run: a pure function from (run, answer) to the row update to write
// and what to do once it is written. The engine writes first and acts second, so a crash
// between the two repeats the action from the written state instead of losing it.

export type NextAction =
  | { kind: "call" }
  | { kind: "wait"; until: number }
  | { kind: "finished"; failure?: SerializedError };

export interface Transition {
  update: RunUpdate;
  next: NextAction;
}

/** Delay before retry number `attempt` (1 = first retry). */
export type Backoff = (attempt: number) => number;

/** 2 s, 4 s, 8 s … capped at one hour, with up to 20 % jitter so retries do not bunch up. */
export const defaultBackoff: Backoff = (attempt) =>
  Math.min(2_000 * 2 ** Math.max(0, attempt - 1), 3_600_000) * (1 + Math.random() * 0.2);

// Operations a function may report that this engine does not implement: the run fails with a
// clear message instead of hanging on a wait that would never end.
const UNSUPPORTED_OPERATIONS: Record<string, string> = {
  WaitForEvent: "step.waitForEvent",
  WaitForSignal: "step.waitForSignal",
  InvokeFunction: "step.invoke",
  AIGateway: "step.ai.infer",
  Gateway: "step.fetch",
};
// Fire-and-forget operations attached to other answers; nothing to do for them here.
const IGNORED_OPERATIONS = new Set(["DeferAdd", "DeferAbort"]);

export function applyOutcome(
  run: RunState,
  fn: FunctionDefinition,
  outcome: CallOutcome,
  now: number,
  backoff: Backoff,
): Transition {
  const base = runningUpdate(run, now);
  const canRetry = run.attempt + 1 < fn.maxAttempts;

  if (outcome.kind === "completed") return complete(base, outcome.output, now);
  if (outcome.kind === "error") {
    if (outcome.retriable && canRetry) {
      return retry(base, now, outcome.retryAfterMs ?? backoff(run.attempt + 1));
    }
    return fail(base, outcome.error, now);
  }

  const memoized = run.steps ?? {};
  const planned = [...run.plan.planned];
  const sleeps = [...run.plan.sleeps];
  let progressed = false;
  let stepError: StepOperation | undefined;
  const memoize = (id: string, memo: EngineMemoizedStep) => {
    if (memoized[id] !== undefined || base.steps[id] !== undefined) return;
    base.steps[id] = memo;
    base.stack.push(id);
    const index = planned.indexOf(id);
    if (index >= 0) planned.splice(index, 1);
    progressed = true;
  };

  for (const operation of outcome.operations) {
    switch (operation.op) {
      case "StepRun":
      case "Step":
        memoize(operation.id, { type: "data", data: operation.data ?? null });
        break;
      case "StepFailed":
        memoize(operation.id, { type: "error", error: toSerializedError(operation.error) });
        break;
      case "StepError":
        // The SDK knows the attempt limit (`max_attempts`) and sends StepFailed on the last
        // one; treat a StepError with no attempts left as final all the same.
        if (canRetry) stepError = operation;
        else memoize(operation.id, { type: "error", error: toSerializedError(operation.error) });
        break;
      case "Sleep": {
        const duration = String(operation.opts?.duration ?? operation.name ?? "");
        const until = resolveWakeTime(duration, now);
        if (until === null) {
          return fail(
            base,
            invalid(`Sleep "${operation.displayName}": bad time "${duration}"`),
            now,
          );
        }
        if (!sleeps.some((sleep) => sleep.id === operation.id)) {
          sleeps.push({ id: operation.id, until });
        }
        progressed = true;
        break;
      }
      case "StepPlanned":
        if (memoized[operation.id] === undefined && !planned.includes(operation.id)) {
          planned.push(operation.id);
        }
        progressed = true;
        break;
      case "RunComplete":
        return complete(base, operation.data ?? null, now);
      default: {
        if (IGNORED_OPERATIONS.has(operation.op)) break;
        const feature = UNSUPPORTED_OPERATIONS[operation.op] ?? `the "${operation.op}" operation`;
        return fail(
          base,
          {
            name: "UnsupportedByEmbeddedEngine",
            message: `${feature} is not supported by Gatehouse's embedded Inngest engine; point INNGEST_BASE_URL at an Inngest server to use it`,
          },
          now,
        );
      }
    }
  }

  base.plan = { ...run.plan, planned, sleeps } satisfies EngineRunPlan;
  if (stepError) {
    // A step threw and has attempts left: keep what else was learnt, call again later.
    return retry(base, now, backoff(run.attempt + 1));
  }
  if (!progressed) {
    const error = invalid("The app answered 206 without anything new to do");
    return canRetry ? retry(base, now, backoff(run.attempt + 1)) : fail(base, error, now);
  }
  base.attempt = 0;
  if (planned.length === 0 && sleeps.length > 0) {
    const until = Math.min(...sleeps.map((sleep) => sleep.until));
    return {
      update: { ...base, status: "sleeping", wakeAt: until },
      next: { kind: "wait", until },
    };
  }
  return { update: base, next: { kind: "call" } };
}

/**
 * The update for steps a call reports as done before it answers (an async checkpoint): they
 * are memoized now, so a crash later in the same call does not run them again. The call goes
 * on; its answer is applied as usual and finds these steps already memoized. A string says why
 * the checkpoint cannot be taken.
 */
export function checkpointUpdate(
  run: RunState,
  operations: StepOperation[],
  now: number,
): RunUpdate | string {
  const update = runningUpdate(run, now);
  for (const operation of operations) {
    let memo: EngineMemoizedStep;
    if (operation.op === "StepRun" || operation.op === "Step") {
      memo = { type: "data", data: operation.data ?? null };
    } else if (operation.op === "StepFailed") {
      memo = { type: "error", error: toSerializedError(operation.error) };
    } else {
      return `"${operation.op}" is not a finished step`;
    }
    if (run.steps?.[operation.id] !== undefined || update.steps[operation.id] !== undefined) {
      continue;
    }
    update.steps[operation.id] = memo;
    update.stack.push(operation.id);
  }
  return update;
}

/** A run still going, carrying the sleeps that ended before the call (written with it). */
function runningUpdate(run: RunState, now: number): RunUpdate {
  return {
    id: run.id,
    status: "running",
    attempt: run.attempt,
    steps: { ...run.unsaved.steps },
    stack: [...run.unsaved.stack],
    plan: run.plan,
    wakeAt: null,
    startedAt: run.startedAt ?? now,
    output: null,
    error: null,
    finishedAt: null,
  };
}

/** The update for a run cancelled while a call was in flight: its answer is dropped. */
export function cancellation(run: RunState, now: number): RunUpdate {
  return {
    id: run.id,
    status: "cancelled",
    attempt: run.attempt,
    steps: {},
    stack: [],
    plan: run.plan,
    wakeAt: null,
    startedAt: run.startedAt,
    output: null,
    error: null,
    finishedAt: now,
  };
}

/** The update that gives up on a run: retries exhausted, or its state cannot be stored. */
export function failure(run: RunState, error: SerializedError, now: number): RunUpdate {
  return { ...cancellation(run, now), status: "failed", error };
}

function complete(base: RunUpdate, output: unknown, now: number): Transition {
  return {
    update: { ...base, status: "completed", attempt: base.attempt, output, finishedAt: now },
    next: { kind: "finished" },
  };
}

function fail(base: RunUpdate, error: SerializedError, now: number): Transition {
  return {
    update: { ...base, status: "failed", error, finishedAt: now },
    next: { kind: "finished", failure: error },
  };
}

function retry(base: RunUpdate, now: number, delayMs: number): Transition {
  const until = now + Math.max(0, Math.round(delayMs));
  return {
    update: { ...base, attempt: base.attempt + 1, wakeAt: until },
    next: { kind: "wait", until },
  };
}

function invalid(message: string): SerializedError {
  return { name: "InvalidResponse", message };
}
