import "server-only";
import { db, type Executor } from "@/lib/db";
import type { Scope } from "@/lib/organizations/scope";
import { type FailureReason, failureReasons } from "./failure-reasons";
import { findUserName, namesForEntries } from "./names";
import { type AuthLogEvent, type AuthLogWithEvents, getAuthLog } from "./queries";

/** One auth log entry as the detail page shows it: names resolved, failure explained. */
export type AuthLogDetail = AuthLogWithEvents & {
  organizationName: string | null;
  clientName: string | null;
  userName: string | null;
  /** From the first event to completion; null while the attempt is still open. */
  durationMs: number | null;
  failure: FailureExplanation | null;
};

export type FailureExplanation = {
  code: string;
  description: string;
  /** What an operator should check, in plain language. */
  hint: string;
  /** What the timeline adds for this attempt in particular, e.g. the interceptor's message. */
  specifics: string | null;
};

/** NotFoundError when the entry does not exist or belongs to a tenant outside `scope`. */
export async function getAuthLogDetail(
  scope: Scope,
  id: string,
  tx: Executor = db,
): Promise<AuthLogDetail> {
  const entry = await getAuthLog(scope, id, tx);
  const [names, userName] = await Promise.all([
    namesForEntries([entry], tx),
    entry.userId ? findUserName(entry.userId, tx) : null,
  ]);
  return {
    ...entry,
    organizationName: entry.organizationId
      ? (names.organizations.get(entry.organizationId) ?? null)
      : null,
    clientName: entry.clientId ? (names.clients.get(entry.clientId) ?? null) : null,
    userName,
    durationMs: entry.completedAt ? entry.completedAt.getTime() - entry.createdAt.getTime() : null,
    failure: explainFailure(entry),
  };
}

export function explainFailure(
  entry: Pick<
    AuthLogWithEvents,
    "status" | "errorCode" | "errorDescription" | "redirectUri" | "events"
  >,
): FailureExplanation | null {
  if (entry.status !== "failure" && !entry.errorCode) return null;
  const code = entry.errorCode ?? "unknown";
  const known = isFailureReason(code) ? failureReasons[code] : undefined;
  const failedEvent = [...entry.events]
    .reverse()
    .find((event) => event.type === `failed: ${code}` || event.status === "failure");
  return {
    code,
    description: entry.errorDescription ?? known?.description ?? "The sign-in failed.",
    hint: known?.hint ?? "Read the timeline below for the step that failed.",
    specifics: specificsOf(code, failedEvent, entry.redirectUri),
  };
}

function specificsOf(
  code: string,
  event: AuthLogEvent | undefined,
  redirectUri: string | null,
): string | null {
  const detail = event?.detail ?? {};
  const text = (key: string) =>
    typeof detail[key] === "string" ? (detail[key] as string) : undefined;
  const number = (key: string) =>
    typeof detail[key] === "number" ? (detail[key] as number) : undefined;
  const interceptor = text("interceptor_name")
    ? `Interceptor "${text("interceptor_name")}" at ${text("url") ?? "its URL"}`
    : `The interceptor at ${text("url") ?? "its URL"}`;
  switch (code) {
    case "interceptor_rejected":
      return `${interceptor} answered DENY: "${text("message") ?? "no message"}".`;
    case "interceptor_unavailable": {
      const latency = number("latency_ms");
      const after = latency === undefined ? "" : ` after ${latency} ms`;
      return `${interceptor} did not give a usable answer${after} (${text("error") ?? "no detail"}); it fails closed, so the sign-in was stopped.`;
    }
    case "expired": {
      const timeout = number("timeout_ms");
      return timeout === undefined
        ? null
        : `Nothing happened for ${Math.round(timeout / 60_000)} min (AUTH_REQUEST_TIMEOUT), so Gatehouse closed the attempt.`;
    }
    case "invalid_redirect_uri":
    case "redirect_uri_mismatch":
      return redirectUri ? `The redirect_uri sent was ${redirectUri}.` : null;
    case "client_mismatch":
    case "invalid_client":
      return text("client_id") ? `The client that presented it was ${text("client_id")}.` : null;
    default:
      return text("error") ?? null;
  }
}

function isFailureReason(code: string): code is FailureReason {
  return Object.hasOwn(failureReasons, code);
}
