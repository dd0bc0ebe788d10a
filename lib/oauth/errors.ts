import type { FailureReason } from "@/lib/auth-logs/failure-reasons";
import { DomainError } from "@/lib/errors";

/**
 * Error codes of the protocol surface: RFC 6749 §4.1.2.1 (authorization), §5.2 (token),
 * OIDC Core §3.1.2.6 (authentication), RFC 6750 §3.1 (bearer) and RFC 7009 §2.2.1 (revocation).
 */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "access_denied"
  | "unsupported_response_type"
  | "server_error"
  | "login_required"
  | "request_not_supported"
  | "request_uri_not_supported"
  | "invalid_token"
  | "insufficient_scope";

/**
 * A protocol error. `reason` is the auth-log Failure code to record when the error ends an auth
 * request; each surface maps the error to its own format at the edge (redirect, JSON, header).
 */
export class OAuthError extends DomainError {
  readonly reason: FailureReason | undefined;

  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    options: { reason?: FailureReason } = {},
  ) {
    super(error, description);
    this.reason = options.reason;
  }
}

/** Client authentication failed; keeps the client_id that was claimed, for the auth log. */
export class ClientAuthenticationError extends OAuthError {
  constructor(
    description: string,
    readonly claimedClientId: string | undefined,
  ) {
    super("invalid_client", description, { reason: "invalid_client" });
  }
}

/** No credentials at all: RFC 6750 §3.1 says answer with the bare challenge, no error code. */
export class MissingBearerTokenError extends OAuthError {
  constructor() {
    super("invalid_request", "A Bearer access token is required");
  }
}

/**
 * RFC 6749 §4.1.2.1 limits error_description to printable ASCII without `"` and `\`; anything
 * else (an interceptor's message, a user name) is replaced so the redirect stays well-formed.
 */
export function toErrorDescription(text: string): string {
  return text
    .replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}
