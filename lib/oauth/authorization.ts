import "server-only";
import type { AuthMethod } from "@/constants/auth-logs";
import type { AuthRequest, User } from "@/db/schema";
import { describeFailure, type FailureReason } from "@/lib/auth-logs/failure-reasons";
import {
  AuthRequestClosedError,
  expireAuthRequest,
  failAuthRequest,
  isAbandoned,
  lockOpenAuthRequest,
  recordAuthEvent,
  transitionAuthRequest,
} from "@/lib/auth-logs/journey";
import { db, type Executor } from "@/lib/db";
import { env } from "@/lib/env";
import { DomainError, NotFoundError } from "@/lib/errors";
import {
  type CreatedSession,
  createSession,
  readSession,
  type SessionCookie,
  sessionCookie,
} from "@/lib/sessions";
import { findUser } from "@/lib/users";
import { hasIssuedCode, issueAuthorizationCode } from "./codes";
import { type OAuthErrorCode, toErrorDescription } from "./errors";

/**
 * How an authorization request ends at the browser: a code for the client (after sign-in, or
 * silently from a live session) or an error. Used by the authorize route and the sign-in UI.
 */
export type CompleteAuthorizationInput = {
  authRequestId: string;
  userId: string;
  authMethod: AuthMethod;
  organizationId?: string | null;
  /**
   * The browser's `gatehouse_session` cookie. Required when authMethod is "session": the live
   * session it names is reused instead of creating one, and must belong to `userId`.
   */
  sessionCookie?: string;
};

/** The live session named by a cookie does not exist or belongs to someone else. */
export class SessionRequiredError extends DomainError {
  constructor() {
    super("session_required", "No live Gatehouse session for this user");
  }
}

/**
 * Finishes a signed-in authorization request, in one transaction: checks the request is still
 * open, creates (or reuses) the Gatehouse session, issues the single-use code, records
 * `code_issued`, and returns the client redirect plus the session cookie for the caller to set.
 * Throws AuthRequestClosedError when the request already ended or already has a code.
 */
export async function completeAuthorization(
  input: CompleteAuthorizationInput,
): Promise<{ redirectTo: string; session: SessionCookie }> {
  const now = new Date();
  const outcome = await db.transaction(async (tx) => {
    const request = await lockOpenAuthRequest(tx, input.authRequestId);
    if (isAbandoned(request, now)) {
      await expireAuthRequest(tx, request.id);
      return { abandoned: true as const };
    }
    // One request, one code: a second completion (double submit) must not mint another.
    if (await hasIssuedCode(tx, request.id)) {
      throw new AuthRequestClosedError(request.id, request.status);
    }
    const user = await findUser(input.userId, tx);
    if (!user) throw new NotFoundError("User");
    const signedIn = await sessionFor(tx, input, now);
    await recordUserOnRequest(tx, request, user, input);
    const { code, expiresAt } = await issueAuthorizationCode(
      tx,
      {
        authRequestId: request.id,
        clientId: required(request.clientId),
        userId: user.id,
        redirectUri: required(request.redirectUri),
        scope: required(request.scope),
        nonce: request.nonce,
        codeChallenge: required(request.codeChallenge),
        authTime: signedIn.session.authTime,
      },
      now,
    );
    await recordAuthEvent(tx, request.id, "code_issued", {
      auth_method: input.authMethod,
      session_id: signedIn.session.id,
      expires_at: expiresAt.toISOString(),
    });
    return {
      redirectTo: authorizationResponseUrl(required(request.redirectUri), {
        code,
        state: request.state,
      }),
      session: sessionCookie(signedIn.cookieValue, signedIn.session.expiresAt),
    };
  });
  if ("abandoned" in outcome) throw new AuthRequestClosedError(input.authRequestId, "failure");
  return outcome;
}

/**
 * Ends an open request in Failure and returns the client redirect with error=access_denied
 * (RFC 6749 §4.1.2.1): "Cancel" in the sign-in UI (`user_cancelled`) or an interceptor's DENY.
 */
export async function denyAuthorization(
  authRequestId: string,
  reason: FailureReason,
  description?: string,
): Promise<{ redirectTo: string }> {
  return db.transaction(async (tx) => {
    const request = await lockOpenAuthRequest(tx, authRequestId);
    const text = description ?? describeFailure(reason);
    await failAuthRequest(tx, request.id, reason, { description: text });
    return {
      redirectTo: authorizationErrorRedirect({
        redirectUri: required(request.redirectUri),
        error: "access_denied",
        description: text,
        state: request.state,
      }),
    };
  });
}

/** An error response at the client's redirect URI, with `iss` as RFC 9207 §2 requires. */
export function authorizationErrorRedirect(input: {
  redirectUri: string;
  error: OAuthErrorCode;
  description?: string;
  state?: string | null;
}): string {
  const url = new URL(input.redirectUri);
  url.searchParams.set("error", input.error);
  if (input.description) {
    url.searchParams.set("error_description", toErrorDescription(input.description));
  }
  if (input.state) url.searchParams.set("state", input.state);
  url.searchParams.set("iss", env.issuer);
  return url.toString();
}

/** RFC 6749 §4.1.2 response; query parameters already in the redirect URI are kept (§3.1.2). */
export function authorizationResponseUrl(
  redirectUri: string,
  response: { code: string; state?: string | null },
): string {
  const url = new URL(redirectUri);
  url.searchParams.set("code", response.code);
  if (response.state) url.searchParams.set("state", response.state);
  url.searchParams.set("iss", env.issuer);
  return url.toString();
}

async function sessionFor(
  tx: Executor,
  input: CompleteAuthorizationInput,
  now: Date,
): Promise<CreatedSession> {
  if (input.authMethod !== "session") {
    return createSession(tx, { userId: input.userId, authMethod: input.authMethod }, now);
  }
  const session = await readSession(input.sessionCookie, tx, now);
  if (!session || !input.sessionCookie || session.userId !== input.userId) {
    throw new SessionRequiredError();
  }
  return { cookieValue: input.sessionCookie, session };
}

/**
 * Moves Initiated → Pending with `user_identified`. When the sign-in UI already moved it to
 * Pending, the authentication itself is recorded (`user_authenticated`) with the same patch.
 */
async function recordUserOnRequest(
  tx: Executor,
  request: AuthRequest,
  user: User,
  input: CompleteAuthorizationInput,
): Promise<void> {
  const patch = {
    userId: user.id,
    email: user.email,
    authMethod: input.authMethod,
    ...(input.organizationId !== undefined ? { organizationId: input.organizationId } : {}),
  };
  const detail = { user_id: user.id, email: user.email, auth_method: input.authMethod };
  const type = request.status === "initiated" ? "user_identified" : "user_authenticated";
  await transitionAuthRequest(tx, request.id, "pending", { type, detail }, patch);
}

function required(value: string | null): string {
  // Requests opened by the authorize endpoint always carry these; only rejected ones lack them.
  if (!value) throw new DomainError("auth_request_incomplete", "Auth request lacks its parameters");
  return value;
}
