import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { type AuthorizationCode, authorizationCodes } from "@/db/schema";
import { hashToken } from "@/lib/crypto";
import type { Executor } from "@/lib/db";
import { newSecret } from "@/lib/ids";
import { addMs } from "@/lib/time";

/**
 * Authorization codes: 256 random bits, stored only as sha256, single use and short-lived
 * (RFC 6749 §4.1.2 recommends at most 10 minutes; a back-end exchanges within a second).
 */
export const CODE_LIFETIME_MS = 60_000;

export type CodeBinding = {
  authRequestId: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scope: string;
  nonce: string | null;
  codeChallenge: string;
  authTime: Date;
};

export async function issueAuthorizationCode(
  tx: Executor,
  binding: CodeBinding,
  now: Date = new Date(),
): Promise<{ code: string; expiresAt: Date }> {
  const code = newSecret();
  const expiresAt = addMs(now, CODE_LIFETIME_MS);
  await tx.insert(authorizationCodes).values({
    ...binding,
    codeHash: hashToken(code),
    expiresAt,
    createdAt: now,
  });
  return { code, expiresAt };
}

/**
 * Marks a code used and returns it, or nothing when it is unknown or already used. One
 * conditional UPDATE: of two concurrent exchanges the second waits on the row lock, then finds
 * consumed_at set and gets nothing, so a code can never be exchanged twice.
 */
export async function consumeAuthorizationCode(
  tx: Executor,
  code: string,
): Promise<AuthorizationCode | undefined> {
  const [consumed] = await tx
    .update(authorizationCodes)
    .set({ consumedAt: new Date() })
    .where(
      and(eq(authorizationCodes.codeHash, hashToken(code)), isNull(authorizationCodes.consumedAt)),
    )
    .returning();
  return consumed;
}

export async function findAuthorizationCode(
  tx: Executor,
  code: string,
): Promise<AuthorizationCode | undefined> {
  const [found] = await tx
    .select()
    .from(authorizationCodes)
    .where(eq(authorizationCodes.codeHash, hashToken(code)));
  return found;
}

/** Whether a code was already issued for this auth request: one request, one code. */
export async function hasIssuedCode(tx: Executor, authRequestId: string): Promise<boolean> {
  const [found] = await tx
    .select({ codeHash: authorizationCodes.codeHash })
    .from(authorizationCodes)
    .where(eq(authorizationCodes.authRequestId, authRequestId))
    .limit(1);
  return found !== undefined;
}
