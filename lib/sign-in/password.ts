import "server-only";
import { findAuthRequest, transitionAuthRequest } from "@/lib/auth-logs/journey";
import { decoyPasswordHash, verifyPassword } from "@/lib/crypto";
import { db } from "@/lib/db";
import type { ClientInfo } from "@/lib/http/client-info";
import { findUser } from "@/lib/users";
import {
  closeIfAbandoned,
  failAndRetry,
  isAtStage,
  lockSignInRequest,
  StaleSignInStepError,
} from "./request";

export type CredentialsOutcome =
  | { kind: "verified"; authRequestId: string }
  /** The attempt ended in Failure; the user continues on `retryAuthRequestId`. */
  | { kind: "rejected"; retryAuthRequestId: string };

/**
 * The password step. Right password: `credentials_verified` with authMethod `password`. Wrong
 * password: Failure `invalid_credentials` and a retry at the same step. A user without a
 * password gets Failure `method_not_available` (the page never offers it; this is a forged
 * post), after the same scrypt work so the answer takes the same time either way.
 */
export async function verifyPasswordStep(input: {
  authRequestId: string;
  password: string;
  client: ClientInfo;
}): Promise<CredentialsOutcome> {
  await closeIfAbandoned(input.authRequestId);
  // scrypt is slow and memory-hard by design: run it before taking the row lock, then re-check
  // the step.
  const before = await findAuthRequest(input.authRequestId);
  if (!before || !isAtStage(before, "credentials") || !before.userId) {
    await db.transaction((tx) => lockSignInRequest(tx, input.authRequestId, "credentials"));
    throw new StaleSignInStepError(input.authRequestId);
  }
  const user = await findUser(before.userId);
  const stored = user?.passwordHash ?? (await decoyPasswordHash());
  const matches = await verifyPassword(input.password, stored);

  return db.transaction(async (tx) => {
    const request = await lockSignInRequest(tx, input.authRequestId, "credentials");
    if (request.userId !== before.userId) throw new StaleSignInStepError(request.id);
    if (matches && user?.passwordHash) {
      await transitionAuthRequest(
        tx,
        request.id,
        "pending",
        { type: "credentials_verified", detail: { auth_method: "password" } },
        { authMethod: "password" },
      );
      return { kind: "verified", authRequestId: request.id };
    }
    const reason = user?.passwordHash ? "invalid_credentials" : "method_not_available";
    const retry = await failAndRetry(tx, request, reason, {
      client: input.client,
      detail: { user_id: request.userId, auth_method: "password" },
      patch: { authMethod: "password" },
      identified: true,
    });
    return { kind: "rejected", retryAuthRequestId: retry.id };
  });
}
