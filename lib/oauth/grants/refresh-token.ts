import "server-only";
import type { OAuthClient, RefreshToken } from "@/db/schema";
import { recordAuthEvent } from "@/lib/auth-logs/journey";
import { db, type Executor } from "@/lib/db";
import { findUser } from "@/lib/users";
import { OAuthError } from "../errors";
import { type ProtocolParams, requireParam } from "../params";
import {
  findRefreshTokenForUpdate,
  markRefreshTokenRotated,
  revokeRefreshFamily,
} from "../refresh-tokens";
import { isSubsetOf, joinScope, splitScope } from "../scopes";
import { activeSigningKey } from "../signing-keys";
import { issueTokenSet, type TokenResponseBody } from "../token-set";

type Outcome = { tokens: TokenResponseBody } | { refused: OAuthError };

/**
 * The refresh_token grant (RFC 6749 §6) with rotation: the presented token is marked rotated and
 * a new one in the same family is returned. A rotated token presented again is reuse: the whole
 * family is revoked and the originating auth request gets `refresh_token_reuse_detected`.
 */
export async function exchangeRefreshToken(
  client: OAuthClient,
  params: ProtocolParams,
): Promise<TokenResponseBody> {
  const presented = requireParam(params, "refresh_token");
  const requestedScope = params.has("scope") ? splitScope(params.get("scope")) : undefined;
  const key = await activeSigningKey();
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    // The row lock makes a concurrent refresh with the same token wait, then see it rotated.
    const token = await findRefreshTokenForUpdate(tx, presented);
    const problem = token && (await checkRefreshToken(tx, token, client));
    if (!token || problem) {
      return { refused: problem ?? invalidGrant("The refresh token is invalid") };
    }
    const scope = requestedScope ? joinScope(requestedScope) : token.scope;
    // RFC 6749 §6: the new scope MUST NOT include anything not originally granted.
    if (
      requestedScope &&
      (requestedScope.length === 0 || !isSubsetOf(requestedScope, token.scope))
    ) {
      return { refused: new OAuthError("invalid_scope", "The scope exceeds the granted scope") };
    }
    const user = await findUser(token.userId, tx);
    if (!user || !(await markRefreshTokenRotated(tx, token.id))) {
      return { refused: invalidGrant("The refresh token is invalid") };
    }
    const issued = await issueTokenSet(tx, key, {
      authRequestId: token.authRequestId,
      clientId: client.clientId,
      user,
      scope,
      nonce: token.nonce,
      authTime: token.authTime,
      // The new refresh token keeps the family's full scope (RFC 6749 §6).
      refresh: { familyId: token.familyId, scope: token.scope },
    });
    await recordAuthEvent(tx, token.authRequestId, "token_refreshed", {
      client_id: client.clientId,
      refresh_token_family: token.familyId,
      scope,
    });
    return { tokens: issued.body };
  });
  if ("refused" in outcome) throw outcome.refused;
  return outcome.tokens;
}

async function checkRefreshToken(
  tx: Executor,
  token: RefreshToken,
  client: OAuthClient,
): Promise<OAuthError | undefined> {
  // RFC 6749 §6: the refresh token must have been issued to the authenticated client.
  if (token.clientId !== client.clientId) {
    return invalidGrant("The refresh token was issued to another client");
  }
  if (token.revokedAt) return invalidGrant("The refresh token was revoked");
  if (token.rotatedAt) {
    await revokeReusedFamily(tx, token, client);
    return invalidGrant("The refresh token was already used; its family has been revoked");
  }
  if (token.expiresAt.getTime() <= Date.now()) return invalidGrant("The refresh token expired");
  return undefined;
}

async function revokeReusedFamily(
  tx: Executor,
  token: RefreshToken,
  client: OAuthClient,
): Promise<void> {
  const revoked = await revokeRefreshFamily(tx, token.familyId);
  await recordAuthEvent(tx, token.authRequestId, "refresh_token_reuse_detected", {
    client_id: client.clientId,
    refresh_token_family: token.familyId,
    reused_refresh_token: token.id,
    revoked_refresh_tokens: revoked.refreshTokenIds,
    revoked_access_tokens: revoked.accessTokenJtis,
  });
}

function invalidGrant(description: string): OAuthError {
  return new OAuthError("invalid_grant", description);
}
