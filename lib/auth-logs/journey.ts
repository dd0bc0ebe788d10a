import "server-only";
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import type { AuthMethod, AuthStatus } from "@/constants/auth-logs";
import { type AuthRequest, authRequestEvents, authRequests } from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import { env } from "@/lib/env";
import { DomainError, NotFoundError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { describeFailure, type FailureReason } from "./failure-reasons";

/**
 * The auth-log state machine. Initiated → Pending → Success | Failure; every change is one
 * conditional UPDATE plus its event, written in the caller's transaction so the log can never
 * disagree with the step that caused it.
 */
const allowedFrom: Record<AuthStatus, readonly AuthStatus[]> = {
  initiated: [],
  pending: ["initiated", "pending"],
  success: ["pending"],
  // A successful request can still fail afterwards: its code was replayed and tokens revoked.
  failure: ["initiated", "pending", "success"],
};

export type AuthRequestOpening = {
  clientId?: string | null;
  organizationId?: string | null;
  redirectUri?: string | null;
  scope?: string | null;
  state?: string | null;
  nonce?: string | null;
  codeChallenge?: string | null;
  codeChallengeMethod?: string | null;
  prompt?: string | null;
  loginHint?: string | null;
  retryOf?: string | null;
  ip?: string | null;
  userAgent?: string | null;
};

export type AuthRequestPatch = Partial<
  Pick<AuthRequest, "userId" | "email" | "organizationId" | "connection"> & {
    authMethod: AuthMethod;
  }
>;

export class AuthRequestClosedError extends DomainError {
  constructor(
    readonly authRequestId: string,
    readonly status: AuthStatus | "missing",
  ) {
    super("auth_request_closed", `Auth request ${authRequestId} is ${status}`);
  }
}

/** Opens an auth log entry in Initiated with its first event, `authorize_received`. */
export async function openAuthRequest(
  tx: Executor,
  opening: AuthRequestOpening,
  detail: Record<string, unknown> = {},
): Promise<AuthRequest> {
  const id = newId("areq");
  const [created] = await tx
    .insert(authRequests)
    .values({ id, status: "initiated", ...opening })
    .returning();
  await addEvent(tx, id, "authorize_received", "initiated", detail);
  return created as AuthRequest;
}

/** Records a step that does not change the status (e.g. `email_code_sent`). */
export async function recordAuthEvent(
  tx: Executor,
  authRequestId: string,
  type: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await addEvent(tx, authRequestId, type, null, detail);
}

/**
 * Moves a request to `to` if its current status allows it, applying `patch` and writing the
 * event. Throws AuthRequestClosedError when the request is missing or already past that point,
 * which is how two racing steps on one request are kept from both winning.
 */
export async function transitionAuthRequest(
  tx: Executor,
  authRequestId: string,
  to: AuthStatus,
  event: { type: string; detail?: Record<string, unknown> },
  patch: AuthRequestPatch = {},
): Promise<AuthRequest> {
  const now = new Date();
  const terminal = to === "success" || to === "failure";
  const [updated] = await tx
    .update(authRequests)
    .set({ ...patch, status: to, updatedAt: now, ...(terminal ? { completedAt: now } : {}) })
    .where(and(eq(authRequests.id, authRequestId), inArray(authRequests.status, allowedFrom[to])))
    .returning();
  if (!updated) throw await closedError(tx, authRequestId);
  await addEvent(tx, authRequestId, event.type, to, event.detail ?? {});
  return updated;
}

/** Ends a request in Failure with a stable reason code; the event is `failed: <reason>`. */
export async function failAuthRequest(
  tx: Executor,
  authRequestId: string,
  reason: FailureReason,
  options: {
    description?: string;
    detail?: Record<string, unknown>;
    patch?: AuthRequestPatch;
  } = {},
): Promise<AuthRequest> {
  const description = options.description ?? describeFailure(reason);
  const now = new Date();
  const [updated] = await tx
    .update(authRequests)
    .set({
      ...options.patch,
      status: "failure",
      errorCode: reason,
      errorDescription: description,
      updatedAt: now,
      completedAt: now,
    })
    .where(
      and(eq(authRequests.id, authRequestId), inArray(authRequests.status, allowedFrom.failure)),
    )
    .returning();
  if (!updated) throw await closedError(tx, authRequestId);
  await addEvent(tx, authRequestId, `failed: ${reason}`, "failure", {
    error_code: reason,
    error_description: description,
    ...options.detail,
  });
  return updated;
}

/**
 * Locks the request's row for the rest of the transaction and checks it is open (Initiated or
 * Pending), so no other step can move it meanwhile. Throws AuthRequestClosedError when it is
 * missing or has ended. Whether it was abandoned is the caller's to check (isAbandoned).
 */
export async function lockOpenAuthRequest(
  tx: Executor,
  authRequestId: string,
): Promise<AuthRequest> {
  const [request] = await tx
    .select()
    .from(authRequests)
    .where(eq(authRequests.id, authRequestId))
    .for("update");
  if (!request) throw new AuthRequestClosedError(authRequestId, "missing");
  if (request.status !== "initiated" && request.status !== "pending") {
    throw new AuthRequestClosedError(authRequestId, request.status);
  }
  return request;
}

/** Open for longer than AUTH_REQUEST_TIMEOUT: no step may use it, and it ends as `expired`. */
export function isAbandoned(
  request: Pick<AuthRequest, "createdAt">,
  now: Date = new Date(),
): boolean {
  return now.getTime() - request.createdAt.getTime() > env.authRequestTimeoutMs;
}

/** Ends an abandoned request in Failure `expired`, saying after how long. */
export async function expireAuthRequest(
  tx: Executor,
  authRequestId: string,
  timeoutMs: number = env.authRequestTimeoutMs,
): Promise<AuthRequest> {
  return failAuthRequest(tx, authRequestId, "expired", { detail: { timeout_ms: timeoutMs } });
}

/** Logs a request that was refused before it could begin (e.g. unknown client): opened and failed at once. */
export async function recordRejectedAuthRequest(
  opening: AuthRequestOpening,
  reason: FailureReason,
  options: { description?: string; detail?: Record<string, unknown> } = {},
): Promise<AuthRequest> {
  return db.transaction(async (tx) => {
    const opened = await openAuthRequest(tx, opening, options.detail);
    return failAuthRequest(tx, opened.id, reason, { description: options.description });
  });
}

export async function findAuthRequest(
  authRequestId: string,
  tx: Executor = db,
): Promise<AuthRequest | undefined> {
  const [found] = await tx.select().from(authRequests).where(eq(authRequests.id, authRequestId));
  return found;
}

export async function getAuthRequestWithEvents(authRequestId: string, tx: Executor = db) {
  const request = await findAuthRequest(authRequestId, tx);
  if (!request) throw new NotFoundError("Auth request");
  const events = await tx
    .select()
    .from(authRequestEvents)
    .where(eq(authRequestEvents.authRequestId, authRequestId))
    .orderBy(asc(authRequestEvents.seq));
  return { ...request, events };
}

/**
 * Closes requests left Initiated or Pending past the timeout as Failure `expired`. Returns how
 * many were closed. Each is closed by the same conditional update, so a request finishing at
 * the same moment is never overwritten.
 */
export async function sweepAbandonedAuthRequests(
  timeoutMs: number,
  now: Date = new Date(),
): Promise<number> {
  const cutoff = new Date(now.getTime() - timeoutMs);
  const stale = await db
    .select({ id: authRequests.id })
    .from(authRequests)
    .where(
      and(
        sql`${authRequests.status} in ('initiated', 'pending')`,
        lt(authRequests.createdAt, cutoff),
      ),
    )
    .limit(1000);
  let closed = 0;
  for (const { id } of stale) {
    try {
      await db.transaction((tx) => expireAuthRequest(tx, id, timeoutMs));
      closed++;
    } catch (error) {
      if (!(error instanceof AuthRequestClosedError)) throw error;
    }
  }
  return closed;
}

async function addEvent(
  tx: Executor,
  authRequestId: string,
  type: string,
  status: AuthStatus | null,
  detail: Record<string, unknown>,
): Promise<void> {
  await tx.insert(authRequestEvents).values({ authRequestId, type, status, detail });
}

async function closedError(tx: Executor, authRequestId: string): Promise<AuthRequestClosedError> {
  const current = await findAuthRequest(authRequestId, tx);
  return new AuthRequestClosedError(authRequestId, current?.status ?? "missing");
}
