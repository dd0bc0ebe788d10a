import "server-only";
import type { AccessToken } from "@/db/schema";
import { findUser } from "@/lib/users";
import { findLiveAccessToken } from "./access-tokens";
import { MissingBearerTokenError, OAuthError } from "./errors";
import { type AccessTokenClaims, userClaims, verifyAccessTokenJwt } from "./jwt";
import { hasScope } from "./scopes";

export type UserInfo = { sub: string; email?: string; email_verified?: boolean; name?: string };

/**
 * The UserInfo endpoint (OIDC Core §5.3): claims about the token's user, released by the scope
 * granted to that token. The token must verify and its row must be neither revoked nor expired.
 */
export async function userInfoFor(accessToken: string): Promise<UserInfo> {
  const { claims } = await authenticateAccessToken(accessToken);
  if (!hasScope(claims.scope, "openid")) {
    throw new OAuthError("insufficient_scope", "The access token was not granted the openid scope");
  }
  const user = await findUser(claims.sub);
  if (!user) throw invalidToken("The user of this access token no longer exists");
  return { sub: user.id, ...userClaims(user, claims.scope) };
}

/** A verified, live access token: signature, issuer, expiry, and its row not revoked. */
export async function authenticateAccessToken(
  accessToken: string,
): Promise<{ claims: AccessTokenClaims; row: AccessToken }> {
  let claims: AccessTokenClaims;
  try {
    claims = await verifyAccessTokenJwt(accessToken);
  } catch {
    throw invalidToken("The access token is invalid or expired");
  }
  const row = await findLiveAccessToken(claims.jti);
  if (!row) throw invalidToken("The access token was revoked");
  return { claims, row };
}

/**
 * The Bearer token of a request (RFC 6750 §2.1 header, or §2.2 form body on POST), refusing a
 * request that uses both, as §2 requires.
 */
export function bearerTokenFrom(
  authorization: string | null,
  formToken: string | undefined,
): string {
  const match =
    authorization === null ? null : /^Bearer +([\x21-\x7e]+)$/i.exec(authorization.trim());
  if (authorization !== null && !match) {
    throw invalidToken("The Authorization header must use the Bearer scheme");
  }
  const headerToken = match?.[1];
  if (headerToken && formToken) {
    throw new OAuthError("invalid_request", "Send the access token in one place only");
  }
  const token = headerToken ?? formToken;
  if (!token) throw new MissingBearerTokenError();
  return token;
}

function invalidToken(description: string): OAuthError {
  return new OAuthError("invalid_token", description);
}
