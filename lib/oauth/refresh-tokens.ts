import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { type RefreshToken, refreshTokens } from "@/db/schema";
import { hashToken } from "@/lib/crypto";
import type { Executor } from "@/lib/db";
import { newId, newSecret } from "@/lib/ids";
import { addMs } from "@/lib/time";
import { revokeAccessTokensOfFamily } from "./access-tokens";

/**
 * Refresh tokens, rotated on every use (OAuth 2.1 §4.3.1). A family is every token descended
 * from one code exchange; presenting a token that was already rotated means two parties hold
 * it, so the whole family is revoked (OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
 */
export const REFRESH_TOKEN_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
// A prefix lets secret scanners recognise a leaked Gatehouse refresh token.
const REFRESH_TOKEN_PREFIX = "ghr_";

export type RefreshGrant = {
  familyId?: string;
  authRequestId: string;
  clientId: string;
  userId: string;
  scope: string;
  nonce: string | null;
  authTime: Date;
};

export async function issueRefreshToken(
  tx: Executor,
  grant: RefreshGrant,
  now: Date = new Date(),
): Promise<{ token: string; refreshToken: RefreshToken }> {
  const token = `${REFRESH_TOKEN_PREFIX}${newSecret()}`;
  const id = newId("rt");
  const [created] = await tx
    .insert(refreshTokens)
    .values({
      ...grant,
      id,
      // The first token of a family names it.
      familyId: grant.familyId ?? id,
      tokenHash: hashToken(token),
      expiresAt: addMs(now, REFRESH_TOKEN_LIFETIME_MS),
      createdAt: now,
    })
    .returning();
  return { token, refreshToken: created as RefreshToken };
}

/** Finds a refresh token and locks its row, so two refreshes with it run one after the other. */
export async function findRefreshTokenForUpdate(
  tx: Executor,
  token: string,
): Promise<RefreshToken | undefined> {
  const [found] = await tx
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashToken(token)))
    .for("update");
  return found;
}

export async function findRefreshToken(
  tx: Executor,
  token: string,
): Promise<RefreshToken | undefined> {
  const [found] = await tx
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashToken(token)));
  return found;
}

/** Marks a token rotated; false when it was rotated or revoked in the meantime. */
export async function markRefreshTokenRotated(tx: Executor, id: string): Promise<boolean> {
  const rotated = await tx
    .update(refreshTokens)
    .set({ rotatedAt: new Date() })
    .where(
      and(
        eq(refreshTokens.id, id),
        isNull(refreshTokens.rotatedAt),
        isNull(refreshTokens.revokedAt),
      ),
    )
    .returning({ id: refreshTokens.id });
  return rotated.length === 1;
}

export type RevokedFamily = { refreshTokenIds: string[]; accessTokenJtis: string[] };

/** Revokes every refresh token of a family and every access token minted from it. */
export async function revokeRefreshFamily(tx: Executor, familyId: string): Promise<RevokedFamily> {
  const revoked = await tx
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  return {
    refreshTokenIds: revoked.map((row) => row.id),
    accessTokenJtis: await revokeAccessTokensOfFamily(tx, familyId),
  };
}

/** Revokes every refresh token issued for an auth request; returns their ids. */
export async function revokeRefreshTokensOfRequest(
  tx: Executor,
  authRequestId: string,
): Promise<string[]> {
  const revoked = await tx
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.authRequestId, authRequestId), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  return revoked.map((row) => row.id);
}
