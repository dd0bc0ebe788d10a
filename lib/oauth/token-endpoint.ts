import "server-only";
import { authenticateClient } from "./client-authentication";
import { ClientAuthenticationError, OAuthError } from "./errors";
import {
  exchangeAuthorizationCode,
  recordFailedClientAuthentication,
} from "./grants/authorization-code";
import { exchangeRefreshToken } from "./grants/refresh-token";
import { type ProtocolParams, requireParam } from "./params";
import type { TokenResponseBody } from "./token-set";

export const GRANT_TYPES = ["authorization_code", "refresh_token"] as const;
type GrantType = (typeof GRANT_TYPES)[number];

/** The token endpoint (RFC 6749 §3.2): authenticate the client, then run its grant. */
export async function exchangeToken(
  headers: Headers,
  params: ProtocolParams,
): Promise<TokenResponseBody> {
  const grantType = requireParam(params, "grant_type");
  if (!isGrantType(grantType)) {
    throw new OAuthError("unsupported_grant_type", `Unsupported grant_type: ${grantType}`);
  }
  const { client } = await authenticateForGrant(headers, params, grantType);
  return grantType === "authorization_code"
    ? exchangeAuthorizationCode(client, params)
    : exchangeRefreshToken(client, params);
}

async function authenticateForGrant(
  headers: Headers,
  params: ProtocolParams,
  grantType: GrantType,
) {
  try {
    return await authenticateClient(headers, params);
  } catch (error) {
    const code = params.get("code");
    if (
      error instanceof ClientAuthenticationError &&
      error.claimedClientId &&
      grantType === "authorization_code" &&
      code
    ) {
      await recordFailedClientAuthentication(code, error.claimedClientId);
    }
    throw error;
  }
}

function isGrantType(value: string): value is GrantType {
  return (GRANT_TYPES as readonly string[]).includes(value);
}
