import "server-only";
import type { AuthRequest } from "@/db/schema";
import type { FailureReason } from "@/lib/auth-logs/failure-reasons";
import { AuthRequestClosedError, failAuthRequest, findAuthRequest } from "@/lib/auth-logs/journey";
import { findClientByClientId, isRegisteredRedirectUri } from "@/lib/clients";
import { db } from "@/lib/db";
import { authorizationErrorRedirect, denyAuthorization } from "@/lib/oauth/authorization";

/** The ways out of the sign-in that do not end with a code: cancel, return, give up. */

// Failures after which "Return to application" sends the user back with error=access_denied.
// Requests refused at the authorize endpoint are not among them: their redirect_uri is unchecked.
const RETURNABLE_FAILURES: readonly string[] = [
  "interceptor_rejected",
  "interceptor_unavailable",
  "expired",
  "server_error",
] satisfies FailureReason[];

/**
 * "Cancel": ends an open request as Failure `user_cancelled` and returns the client redirect
 * with error=access_denied. Null when the request is no longer open (the page explains).
 */
export async function cancelSignIn(authRequestId: string): Promise<string | null> {
  try {
    const { redirectTo } = await denyAuthorization(authRequestId, "user_cancelled");
    return redirectTo;
  } catch (error) {
    if (error instanceof AuthRequestClosedError) return null;
    throw error;
  }
}

/**
 * Ends a request that hit an unexpected error after its credentials were verified (so the page
 * would otherwise call it complete) as Failure `server_error`; the page then offers the way back.
 */
export async function failSignIn(authRequestId: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  try {
    await db.transaction((tx) =>
      failAuthRequest(tx, authRequestId, "server_error", { detail: { error: message } }),
    );
  } catch (closed) {
    if (!(closed instanceof AuthRequestClosedError)) throw closed;
  }
}

/**
 * "Return to application" after a sign-in ended in Failure (an interceptor said DENY, it timed
 * out…): the client redirect with error=access_denied, or null when this request may not send
 * the browser anywhere (still open, refused at the authorize endpoint, or no longer registered).
 */
export async function returnToApplication(authRequestId: string): Promise<string | null> {
  const request = await findAuthRequest(authRequestId);
  return request ? returnUrlFor(request) : null;
}

/** The access_denied redirect for a failed request, when it may have one. */
export async function returnUrlFor(request: AuthRequest): Promise<string | null> {
  if (request.status !== "failure" || !RETURNABLE_FAILURES.includes(request.errorCode ?? "")) {
    return null;
  }
  if (!request.clientId || !request.redirectUri) return null;
  const client = await findClientByClientId(request.clientId);
  // Checked again although the authorize endpoint did: never an open redirect from this page.
  if (!client || !isRegisteredRedirectUri(client, request.redirectUri)) return null;
  return authorizationErrorRedirect({
    redirectUri: request.redirectUri,
    error: "access_denied",
    description: request.errorDescription ?? undefined,
    state: request.state,
  });
}
