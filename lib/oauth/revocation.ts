import "server-only";
import type { OAuthClient } from "@/db/schema";
import { recordAuthEvent } from "@/lib/auth-logs/journey";
import { db } from "@/lib/db";
import { revokeAccessToken } from "./access-tokens";
import { authenticateClient } from "./client-authentication";
import { verifyOwnSignature } from "./jwt";
import { type ProtocolParams, requireParam } from "./params";
import { findRefreshToken, revokeRefreshFamily } from "./refresh-tokens";

/**
 * Token revocation (RFC 7009). A refresh token takes its whole family and the access tokens
 * minted from it (§2.1 SHOULD). Unknown tokens, and tokens of another client, get the same
 * empty 200 as success (§2.2), so the endpoint cannot be used to probe for valid tokens.
 */
export async function revokeToken(headers: Headers, params: ProtocolParams): Promise<void> {
  const { client } = await authenticateClient(headers, params);
  const token = requireParam(params, "token");
  // §2.1: the hint only orders the look-ups; a wrong hint must still find the token.
  const attempts =
    params.get("token_type_hint") === "access_token"
      ? [revokeAsAccessToken, revokeAsRefreshToken]
      : [revokeAsRefreshToken, revokeAsAccessToken];
  for (const attempt of attempts) {
    if (await attempt(token, client)) return;
  }
}

async function revokeAsRefreshToken(token: string, client: OAuthClient): Promise<boolean> {
  return db.transaction(async (tx) => {
    const found = await findRefreshToken(tx, token);
    if (!found || found.clientId !== client.clientId) return false;
    const revoked = await revokeRefreshFamily(tx, found.familyId);
    await recordAuthEvent(tx, found.authRequestId, "tokens_revoked", {
      client_id: client.clientId,
      refresh_token_family: found.familyId,
      revoked_refresh_tokens: revoked.refreshTokenIds,
      revoked_access_tokens: revoked.accessTokenJtis,
    });
    return true;
  });
}

async function revokeAsAccessToken(token: string, client: OAuthClient): Promise<boolean> {
  if (token.split(".").length !== 3) return false;
  // Signature only: an expired access token may still be revoked.
  const claims = await verifyOwnSignature(token).catch(() => undefined);
  if (typeof claims?.jti !== "string" || claims.client_id !== client.clientId) return false;
  const jti = claims.jti;
  return db.transaction(async (tx) => {
    const revoked = await revokeAccessToken(tx, jti, client.clientId);
    if (!revoked) return false;
    await recordAuthEvent(tx, revoked.authRequestId, "access_token_revoked", {
      client_id: client.clientId,
      jti,
    });
    return true;
  });
}
