import type { EngineMemoizedStep } from "@/db/schema/engine";
import type { FunctionDefinition } from "./functions";
import type { RunState } from "./run";

// The SDK side of a call request (SDK spec 4.4, measured against inngest@4.24.0): what the
// engine sends to `POST {appUrl}?fnId=…&stepId=…` and how it reads the answer.

/**
 * The `inngest` SDK version this protocol was measured against, and the one package.json pins:
 * contract.test.ts checks every fact the engine relies on against it.
 */
export const SDK_VERSION = "4.24.0";

// Until the SDK has chosen a run's execution version, calls say -1 ("SDK decides"), as Inngest
// does; the SDK answers with the one it used (inngest@4: 2) and later calls repeat it.
const UNDECIDED_REQUEST_VERSION = -1;
const FUNCTION_MISSING = /was not found in this app/;

/** One operation from a 206 answer (`StepRun`, `Sleep`, `StepPlanned`, `StepError`, …). */
export interface StepOperation {
  op: string;
  id: string;
  name?: string;
  displayName?: string;
  data?: unknown;
  error?: unknown;
  opts?: Record<string, unknown> | null;
}

export interface SerializedError extends Record<string, unknown> {
  name: string;
  message: string;
  stack?: string;
}

/** What a call request's answer says, before it is applied to the run. */
export type CallOutcome =
  | { kind: "operations"; operations: StepOperation[] }
  | { kind: "completed"; output: unknown }
  | {
      kind: "error";
      error: SerializedError;
      retriable: boolean;
      retryAfterMs?: number;
      // The app does not serve this function id (any more): re-sync before retrying.
      functionMissing?: boolean;
    };

export interface CallResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** `{appUrl}?fnId=<id>&stepId=`: the call URL of a function, waiting for its step id. */
export function callUrlPrefix(appUrl: string, functionId: string): string {
  const separator = appUrl.includes("?") ? "&" : "?";
  return `${appUrl}${separator}fnId=${encodeURIComponent(functionId)}&stepId=`;
}

/** The step a call asks for: the first planned one, else "step" (run what comes next). */
export function requestedStepId(run: RunState): string {
  return run.plan.planned[0] ?? "step";
}

/** The body of a call request for a run whose steps are loaded, as a JSON value. */
export function callRequestPayload(run: RunState, fn: FunctionDefinition) {
  const steps = run.steps as Record<string, EngineMemoizedStep>;
  const stack = run.stack as string[];
  return {
    event: run.event,
    events: [run.event],
    steps,
    ctx: {
      run_id: run.id,
      attempt: run.attempt,
      // Lets the SDK report the last attempt's error as final (StepFailed, no-retry) itself.
      max_attempts: fn.maxAttempts,
      // With these two the SDK may checkpoint (Inngest's default in v4): it runs the next step
      // at once, posts its result to `/v1/checkpoint/{run}/async` naming this call, and goes on
      // in the same request instead of answering 206 and waiting to be called again.
      fn_id: fn.id,
      qi_id: run.call,
      disable_immediate_execution: false,
      use_api: false,
      stack: { stack, current: stack.length },
    },
    version: run.plan.requestVersion ?? UNDECIDED_REQUEST_VERSION,
  };
}

/** Reads an answer: 206 = operations, 200 = the function's return value, else an error. */
export function readCallResponse(response: CallResponse, now: number): CallOutcome {
  const parsed = parseJson(response.body);
  const value = parsed.ok ? parsed.value : undefined;
  if (response.status === 206) {
    const list = Array.isArray(value) ? value : value && typeof value === "object" ? [value] : [];
    const operations = list.filter(isOperation);
    if (operations.length > 0) return { kind: "operations", operations };
    return invalidAnswer(`206 without step operations: ${response.body.slice(0, 200)}`);
  }
  if (response.status === 200) {
    // A non-JSON body is still the function's answer: keep it as text.
    return { kind: "completed", output: parsed.ok ? value : response.body };
  }
  const error = toSerializedError(parsed.ok ? value : response.body, response.status);
  return {
    kind: "error",
    error,
    retriable: header(response, "x-inngest-no-retry") !== "true",
    retryAfterMs: retryAfter(header(response, "retry-after"), now),
    functionMissing: FUNCTION_MISSING.test(error.message) || undefined,
  };
}

/** An answer that never came (connection refused, timeout): retried like a thrown error. */
export function unreachableOutcome(cause: unknown): CallOutcome {
  const message = cause instanceof Error ? cause.message : String(cause);
  return {
    kind: "error",
    error: { name: "CallRequestFailed", message: `Calling the app failed: ${message}` },
    retriable: true,
  };
}

export function toSerializedError(value: unknown, status?: number): SerializedError {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const fields = value as Record<string, unknown>;
    const message =
      typeof fields.message === "string"
        ? fields.message
        : typeof fields.error === "string"
          ? fields.error
          : JSON.stringify(value).slice(0, 1000);
    const error: SerializedError = {
      name: typeof fields.name === "string" && fields.name ? fields.name : "Error",
      message,
    };
    if (typeof fields.stack === "string") error.stack = fields.stack;
    if (fields.cause !== undefined) error.cause = fields.cause;
    return error;
  }
  const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
  return {
    name: "Error",
    message: status ? `App answered ${status}: ${text.slice(0, 1000)}` : text.slice(0, 1000),
  };
}

function invalidAnswer(message: string): CallOutcome {
  return { kind: "error", error: { name: "InvalidResponse", message }, retriable: true };
}

/**
 * The body of an async checkpoint (`POST /v1/checkpoint/{runId}/async`): the call it belongs to
 * and the operations of the steps that ran in it so far. Null when it is not one.
 */
export function readCheckpoint(
  body: unknown,
): { callId: string; operations: StepOperation[] } | null {
  if (!body || typeof body !== "object") return null;
  const { qi_id: callId, steps } = body as Record<string, unknown>;
  if (typeof callId !== "string" || !Array.isArray(steps)) return null;
  const operations = steps.filter(isOperation);
  return operations.length === steps.length ? { callId, operations } : null;
}

function isOperation(value: unknown): value is StepOperation {
  if (!value || typeof value !== "object") return false;
  const { op, id } = value as Record<string, unknown>;
  return typeof op === "string" && typeof id === "string";
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!text) return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The execution version the SDK says it used for a call, if it names one. */
export function answeredRequestVersion(response: CallResponse): number | undefined {
  // A digit string only: Number("") and Number(" ") are 0, which would pin a run to version 0.
  const value = header(response, "x-inngest-req-version")?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

function header(response: CallResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `Retry-After` as seconds, an HTTP date or (as the SDK sends) an ISO 8601 date. */
function retryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
