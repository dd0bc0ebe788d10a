import type {
  EngineEventPayload,
  EngineMemoizedStep,
  EngineRunPlan,
  EngineRunStatus,
} from "@/db/schema/engine";

/** Where a run is in this process: in exactly one queue, in flight, or finished. */
export type RunPhase = "ready" | "waiting" | "in-flight" | "timer" | "done";

/** A run as the engine holds it in memory; the database row is its durable copy. */
export interface RunState {
  readonly id: string;
  readonly functionId: string;
  readonly eventId: string;
  readonly event: EngineEventPayload;
  status: EngineRunStatus;
  attempt: number;
  plan: EngineRunPlan;
  wakeAt: number | null;
  startedAt: number | null;
  readonly concurrencyKeys: string[];
  readonly throttleKey: string | null;
  // Memoized steps, or null while not loaded (recovered runs, long sleepers): loaded on demand.
  steps: Record<string, EngineMemoizedStep> | null;
  stack: string[] | null;
  // Memoized in memory (ended sleeps) but not written yet: written with the next update.
  unsaved: { steps: Record<string, EngineMemoizedStep>; stack: string[] };
  phase: RunPhase;
  // The call request in flight (its `qi_id`): only its checkpoints are accepted.
  call: string | null;
  // Throttling applies once, when a run starts; set when it has passed.
  admitted: boolean;
  cancelRequested: boolean;
  // Consecutive failures to write this run's state (database trouble).
  storageFailures: number;
}

/** One write to a run row: the change a call request's response made. */
export interface RunUpdate {
  id: string;
  status: EngineRunStatus;
  attempt: number;
  // Only the newly memoized steps and stack entries: the row's values are extended, not replaced.
  steps: Record<string, EngineMemoizedStep>;
  stack: string[];
  plan: EngineRunPlan;
  wakeAt: number | null;
  startedAt: number | null;
  output: unknown;
  error: Record<string, unknown> | null;
  finishedAt: number | null;
}

export function emptyPlan(): EngineRunPlan {
  return { planned: [], sleeps: [] };
}

export function newRunState(fields: {
  id: string;
  functionId: string;
  eventId: string;
  event: EngineEventPayload;
  concurrencyKeys: string[];
  throttleKey: string | null;
}): RunState {
  return {
    ...fields,
    status: "queued",
    attempt: 0,
    plan: emptyPlan(),
    wakeAt: null,
    startedAt: null,
    steps: {},
    stack: [],
    unsaved: { steps: {}, stack: [] },
    phase: "done",
    call: null,
    admitted: false,
    cancelRequested: false,
    storageFailures: 0,
  };
}

/**
 * Memoizes the sleeps whose time has come (as `null`, like Inngest) so the next call request
 * resumes past them. Kept in `unsaved` until the next update writes them: if the process dies
 * first, the row still says "sleeping until a past time" and the wake-up simply happens again.
 */
export function endDueSleeps(run: RunState, now: number): void {
  if (!run.steps || !run.stack) return;
  const due = run.plan.sleeps.filter((sleep) => sleep.until <= now);
  if (due.length === 0) return;
  for (const sleep of due) {
    const memo: EngineMemoizedStep = { type: "data", data: null };
    run.steps[sleep.id] = memo;
    run.stack.push(sleep.id);
    run.unsaved.steps[sleep.id] = memo;
    run.unsaved.stack.push(sleep.id);
  }
  run.plan = { ...run.plan, sleeps: run.plan.sleeps.filter((sleep) => sleep.until > now) };
}

/**
 * Keeps the execution version the SDK answered a call with, so later calls repeat it. Like the
 * ended sleeps, it reaches the row with the update the call's answer makes (`plan`).
 */
export function pinRequestVersion(run: RunState, version: number | undefined): void {
  if (version === undefined || version === run.plan.requestVersion) return;
  run.plan = { ...run.plan, requestVersion: version };
}
