import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import { type AccessToken, accessTokens } from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import { newId } from "@/lib/ids";
import { type AccessTokenClaims, accessTokenClaims, signAccessToken } from "./jwt";
import type { ActiveSigningKey } from "./signing-keys";

/**
 * Access tokens are signed JWTs (RFC 9068) so resource servers can verify them offline; the row
 * written beside each lets Gatehouse refuse one before it expires (revocation, code replay).
 */
export type AccessTokenGrant = {
  authRequestId: string;
  clientId: string;
  userId: string;
  scope: string;
  familyId?: string | null;
};

export async function issueAccessToken(
  tx: Executor,
  key: ActiveSigningKey,
  grant: AccessTokenGrant,
  now: Date = new Date(),
): Promise<{ token: string; claims: AccessTokenClaims }> {
  const claims = accessTokenClaims({ ...grant, jti: newId("at"), issuedAt: now });
  await tx.insert(accessTokens).values({
    jti: claims.jti,
    authRequestId: grant.authRequestId,
    clientId: grant.clientId,
    userId: grant.userId,
    scope: grant.scope,
    familyId: grant.familyId ?? null,
    expiresAt: new Date(claims.exp * 1000),
    createdAt: now,
  });
  return { token: await signAccessToken(claims, key), claims };
}

/** The row of an access token that is neither revoked nor expired. */
export async function findLiveAccessToken(
  jti: string,
  now: Date = new Date(),
): Promise<AccessToken | undefined> {
  const [found] = await db
    .select()
    .from(accessTokens)
    .where(
      and(
        eq(accessTokens.jti, jti),
        isNull(accessTokens.revokedAt),
        gt(accessTokens.expiresAt, now),
      ),
    );
  return found;
}

export async function revokeAccessToken(
  tx: Executor,
  jti: string,
  clientId: string,
): Promise<AccessToken | undefined> {
  const [revoked] = await tx
    .update(accessTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(accessTokens.jti, jti),
        eq(accessTokens.clientId, clientId),
        isNull(accessTokens.revokedAt),
      ),
    )
    .returning();
  return revoked;
}

/** Revokes every access token issued for an auth request; returns their jti. */
export async function revokeAccessTokensOfRequest(
  tx: Executor,
  authRequestId: string,
): Promise<string[]> {
  const revoked = await tx
    .update(accessTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(accessTokens.authRequestId, authRequestId), isNull(accessTokens.revokedAt)))
    .returning({ jti: accessTokens.jti });
  return revoked.map((row) => row.jti);
}

/** Revokes every access token minted from a refresh family; returns their jti. */
export async function revokeAccessTokensOfFamily(
  tx: Executor,
  familyId: string,
): Promise<string[]> {
  const revoked = await tx
    .update(accessTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(accessTokens.familyId, familyId), isNull(accessTokens.revokedAt)))
    .returning({ jti: accessTokens.jti });
  return revoked.map((row) => row.jti);
}
