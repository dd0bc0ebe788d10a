import "server-only";
import type { AuthRequest } from "@/db/schema";
import type { FailureReason } from "@/lib/auth-logs/failure-reasons";
import {
  AuthRequestClosedError,
  type AuthRequestPatch,
  expireAuthRequest,
  failAuthRequest,
  findAuthRequest,
  isAbandoned,
  lockOpenAuthRequest,
  openAuthRequest,
  transitionAuthRequest,
} from "@/lib/auth-logs/journey";
import { db, type Executor } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import type { ClientInfo } from "@/lib/http/client-info";

/** Which point of the sign-in a step needs its request to be at. */
export type SignInStage = "email" | "credentials";

/**
 * The request is open but not at the step that was submitted (a second tab, the back button, a
 * double submit). Not an error for the user: the page shows the step the request is at.
 */
export class StaleSignInStepError extends DomainError {
  constructor(readonly authRequestId: string) {
    super("stale_sign_in_step", `Auth request ${authRequestId} is not at that step`);
  }
}

/**
 * Locks an open request for the rest of the transaction and checks it is at `stage`:
 * `email` = Initiated; `credentials` = Pending with a user and no verified credential yet.
 * Throws AuthRequestClosedError (ended, missing or abandoned) or StaleSignInStepError.
 */
export async function lockSignInRequest(
  tx: Executor,
  authRequestId: string,
  stage: SignInStage,
): Promise<AuthRequest> {
  const request = await lockOpenAuthRequest(tx, authRequestId);
  if (isAbandoned(request)) throw new AuthRequestClosedError(authRequestId, request.status);
  if (!isAtStage(request, stage)) throw new StaleSignInStepError(authRequestId);
  return request;
}

export function isAtStage(request: AuthRequest, stage: SignInStage): boolean {
  if (stage === "email") return request.status === "initiated";
  return request.status === "pending" && request.userId !== null && request.authMethod === null;
}

/**
 * Closes an abandoned request as Failure `expired` in its own transaction, before a step runs,
 * so the failure is committed even though the step then refuses. A no-op otherwise.
 */
export async function closeIfAbandoned(authRequestId: string): Promise<void> {
  const request = await findAuthRequest(authRequestId);
  if (!request || !isAbandoned(request)) return;
  if (request.status !== "initiated" && request.status !== "pending") return;
  try {
    await db.transaction((tx) => expireAuthRequest(tx, authRequestId));
  } catch (error) {
    if (!(error instanceof AuthRequestClosedError)) throw error;
  }
}

/**
 * Ends `original` in Failure and opens its retry in the same transaction: a new auth request
 * with the same authorization parameters and `retryOf` pointing back, so the log shows one
 * attempt per try while the user simply stays on the sign-in page. With `identified`, the retry
 * goes straight to Pending with the same user (a wrong password does not ask for the email
 * again).
 */
export async function failAndRetry(
  tx: Executor,
  original: AuthRequest,
  reason: FailureReason,
  options: {
    client: ClientInfo;
    detail?: Record<string, unknown>;
    /** Columns the failed attempt records: what it was for (email), how it was tried (method). */
    patch?: Pick<AuthRequestPatch, "email" | "authMethod">;
    identified?: boolean;
  },
): Promise<AuthRequest> {
  await failAuthRequest(tx, original.id, reason, {
    detail: options.detail,
    patch: options.patch,
  });
  const retry = await openAuthRequest(
    tx,
    {
      clientId: original.clientId,
      organizationId: original.organizationId,
      redirectUri: original.redirectUri,
      scope: original.scope,
      state: original.state,
      nonce: original.nonce,
      codeChallenge: original.codeChallenge,
      codeChallengeMethod: original.codeChallengeMethod,
      prompt: original.prompt,
      loginHint: original.loginHint,
      retryOf: original.id,
      ip: options.client.ip ?? original.ip,
      userAgent: options.client.userAgent ?? original.userAgent,
    },
    { retry_of: original.id, reason },
  );
  if (!options.identified || !original.userId) return retry;
  return transitionAuthRequest(
    tx,
    retry.id,
    "pending",
    {
      type: "user_identified",
      detail: {
        user_id: original.userId,
        email: original.email,
        organization_id: original.organizationId,
        connection: original.connection,
        retry_of: original.id,
      },
    },
    {
      userId: original.userId,
      email: original.email,
      organizationId: original.organizationId,
      connection: original.connection,
    },
  );
}
