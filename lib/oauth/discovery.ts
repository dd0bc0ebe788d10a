import { env } from "@/lib/env";
import { PROMPTS } from "./authorize-params";
import { CLIENT_AUTH_METHODS } from "./client-authentication";
import { PKCE_METHOD } from "./pkce";
import { SUPPORTED_SCOPES } from "./scopes";
import { SIGNING_ALG } from "./signing-keys";
import { GRANT_TYPES } from "./token-endpoint";

/** Where each protocol endpoint lives, relative to the issuer. */
export const OAUTH_PATHS = {
  authorization: "/oauth/authorize",
  token: "/oauth/token",
  userinfo: "/oauth/userinfo",
  jwks: "/oauth/jwks",
  revocation: "/oauth/revoke",
  endSession: "/oauth/logout",
} as const;

/**
 * OpenID Provider Metadata (OIDC Discovery 1.0 §3, RFC 8414 §2). Advertises only what is
 * implemented: code flow with S256 PKCE, RS256, and the iss response parameter of RFC 9207.
 */
export function openIdConfiguration() {
  const at = (path: string) => `${env.issuer}${path}`;
  return {
    issuer: env.issuer,
    authorization_endpoint: at(OAUTH_PATHS.authorization),
    token_endpoint: at(OAUTH_PATHS.token),
    userinfo_endpoint: at(OAUTH_PATHS.userinfo),
    jwks_uri: at(OAUTH_PATHS.jwks),
    revocation_endpoint: at(OAUTH_PATHS.revocation),
    end_session_endpoint: at(OAUTH_PATHS.endSession),
    scopes_supported: [...SUPPORTED_SCOPES],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: [...GRANT_TYPES],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
    token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    code_challenge_methods_supported: [PKCE_METHOD],
    prompt_values_supported: [...PROMPTS],
    claims_supported: [
      "iss",
      "sub",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "nonce",
      "at_hash",
      "email",
      "email_verified",
      "name",
    ],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
  };
}
