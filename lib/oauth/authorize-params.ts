import type { FailureReason } from "@/lib/auth-logs/failure-reasons";
import { DomainError } from "@/lib/errors";
import { OAuthError } from "./errors";
import { collectParams, type ProtocolParams } from "./params";
import { isWellFormedCodeChallenge, PKCE_METHOD } from "./pkce";
import { type Scope, splitScope, supportedScopes } from "./scopes";

/**
 * The parameter parser of the authorization endpoint. It runs in two stages because RFC 6749
 * §4.1.2.1 forbids redirecting until client_id and redirect_uri are known to be valid: stage one
 * (`readAuthorizeQuery`) yields errors shown as a page; stage two (`parseAuthorizeParams`) yields
 * OAuthErrors that are sent back to the (by then verified) redirect_uri.
 */
export const MAX_QUERY_BYTES = 8 * 1024;
export const MAX_VALUE_LENGTH = 2048;
const MAX_CLIENT_ID_LENGTH = 255;

export const PROMPTS = ["none", "login", "consent", "select_account"] as const;
export type Prompt = (typeof PROMPTS)[number];

export type AuthorizeQuery = {
  params: ProtocolParams;
  duplicated: string[];
  clientId: string;
  redirectUri: string;
};

export type AuthorizeParams = {
  clientId: string;
  redirectUri: string;
  /** Supported scopes requested, in the order sent; unknown values are dropped. */
  scopes: Scope[];
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string;
  codeChallengeMethod: typeof PKCE_METHOD;
  prompt: Prompt[];
  maxAge: number | undefined;
  loginHint: string | undefined;
};

/** A request that cannot be answered by redirect: its client or redirect_uri is not trusted. */
export class UntrustedAuthorizeRequestError extends DomainError {
  constructor(
    readonly reason: Extract<
      FailureReason,
      "invalid_client" | "invalid_redirect_uri" | "invalid_request"
    >,
    description: string,
    readonly sent: { clientId?: string; redirectUri?: string } = {},
  ) {
    super(reason, description);
  }
}

/** Stage one: size, and a single client_id and redirect_uri to look up. */
export function readAuthorizeQuery(search: string): AuthorizeQuery {
  const raw = search.startsWith("?") ? search.slice(1) : search;
  if (Buffer.byteLength(raw) > MAX_QUERY_BYTES) {
    throw new UntrustedAuthorizeRequestError(
      "invalid_request",
      `The authorization request is longer than ${MAX_QUERY_BYTES} bytes.`,
    );
  }
  const { params, duplicated, hasControlCharacters } = collectParams(new URLSearchParams(raw));
  const sent = { clientId: params.get("client_id"), redirectUri: params.get("redirect_uri") };
  // Refused before anything is echoed or stored: no redirect can carry these safely.
  if (hasControlCharacters) {
    throw new UntrustedAuthorizeRequestError(
      "invalid_request",
      "The authorization request contains control characters.",
      sent,
    );
  }
  for (const name of ["client_id", "redirect_uri"]) {
    if (duplicated.includes(name)) {
      throw new UntrustedAuthorizeRequestError(
        "invalid_request",
        `The parameter ${name} was sent more than once.`,
        sent,
      );
    }
  }
  const clientId = params.get("client_id");
  if (!clientId || clientId.length > MAX_CLIENT_ID_LENGTH) {
    throw new UntrustedAuthorizeRequestError(
      "invalid_client",
      clientId
        ? "The client_id is not a registered client."
        : "The client_id parameter is missing.",
      sent,
    );
  }
  const redirectUri = params.get("redirect_uri");
  if (!redirectUri) {
    throw new UntrustedAuthorizeRequestError(
      "invalid_redirect_uri",
      "The redirect_uri parameter is missing; OpenID Connect requires it.",
      sent,
    );
  }
  return { params, duplicated, clientId, redirectUri };
}

/**
 * The state to echo in an error redirect (RFC 6749 §4.1.2.1): only a single, bounded value, so an
 * oversized or ambiguous state is never reflected back.
 */
export function stateToEcho(query: AuthorizeQuery): string | undefined {
  if (query.duplicated.includes("state")) return undefined;
  const state = query.params.get("state");
  return state !== undefined && state.length <= MAX_VALUE_LENGTH ? state : undefined;
}

/** Stage two: everything else, once client_id and redirect_uri have been verified. */
export function parseAuthorizeParams(query: AuthorizeQuery): AuthorizeParams {
  const { params } = query;
  if (query.duplicated.length > 0) {
    throw invalidRequest(`The parameter ${query.duplicated[0]} was sent more than once.`);
  }
  refuseRequestObjects(params);
  parseResponseType(params);
  parseResponseMode(params);
  const state = boundedParam(params, "state");
  const nonce = boundedParam(params, "nonce");
  const loginHint = boundedParam(params, "login_hint");
  return {
    clientId: query.clientId,
    redirectUri: query.redirectUri,
    scopes: parseScopes(params),
    state,
    nonce,
    ...parsePkce(params),
    prompt: parsePrompt(params),
    maxAge: parseMaxAge(params),
    loginHint,
  };
}

function refuseRequestObjects(params: ProtocolParams): void {
  // OIDC Core §6: servers that do not support request objects answer with these codes.
  if (params.has("request")) {
    throw new OAuthError("request_not_supported", "Request objects are not supported.", {
      reason: "invalid_request",
    });
  }
  if (params.has("request_uri")) {
    throw new OAuthError("request_uri_not_supported", "request_uri is not supported.", {
      reason: "invalid_request",
    });
  }
}

function parseResponseType(params: ProtocolParams): void {
  const responseType = params.get("response_type");
  if (responseType === undefined) throw invalidRequest("The response_type parameter is missing.");
  if (responseType !== "code") {
    throw new OAuthError(
      "unsupported_response_type",
      "Only response_type=code (authorization code flow with PKCE) is supported.",
      { reason: "unsupported_response_type" },
    );
  }
}

function parseResponseMode(params: ProtocolParams): void {
  const responseMode = params.get("response_mode");
  if (responseMode !== undefined && responseMode !== "query") {
    throw invalidRequest("Only response_mode=query is supported.");
  }
}

function parseScopes(params: ProtocolParams): Scope[] {
  const scopes = supportedScopes(splitScope(params.get("scope")));
  // OIDC Core §3.1.2.1: without openid this is not an OpenID Connect request, which is all we serve.
  if (!scopes.includes("openid")) {
    throw new OAuthError("invalid_scope", "The scope must include openid.", {
      reason: "invalid_scope",
    });
  }
  return scopes;
}

function parsePkce(params: ProtocolParams): {
  codeChallenge: string;
  codeChallengeMethod: typeof PKCE_METHOD;
} {
  const codeChallenge = params.get("code_challenge");
  if (codeChallenge === undefined) {
    throw new OAuthError("invalid_request", "PKCE is required: send code_challenge (S256).", {
      reason: "pkce_required",
    });
  }
  // RFC 7636 §4.3: an absent method means plain, which OAuth 2.1 lets us refuse.
  const method = params.get("code_challenge_method");
  if (method !== PKCE_METHOD) {
    throw new OAuthError("invalid_request", "code_challenge_method must be S256.", {
      reason: "pkce_required",
    });
  }
  if (!isWellFormedCodeChallenge(codeChallenge)) {
    throw invalidRequest("code_challenge must be 43 to 128 base64url characters.");
  }
  return { codeChallenge, codeChallengeMethod: PKCE_METHOD };
}

function parsePrompt(params: ProtocolParams): Prompt[] {
  const values = splitScope(params.get("prompt"));
  const unknown = values.find((value) => !(PROMPTS as readonly string[]).includes(value));
  if (unknown !== undefined) throw invalidRequest(`Unsupported prompt value: ${unknown}.`);
  // OIDC Core §3.1.2.1: none cannot be combined with any other value.
  if (values.includes("none") && values.length > 1) {
    throw invalidRequest("prompt=none cannot be combined with other prompt values.");
  }
  return values as Prompt[];
}

function parseMaxAge(params: ProtocolParams): number | undefined {
  const maxAge = params.get("max_age");
  if (maxAge === undefined) return undefined;
  if (!/^\d{1,9}$/.test(maxAge)) {
    throw invalidRequest("max_age must be a non-negative number of seconds.");
  }
  return Number(maxAge);
}

function boundedParam(params: ProtocolParams, name: string): string | undefined {
  const value = params.get(name);
  if (value !== undefined && value.length > MAX_VALUE_LENGTH) {
    throw invalidRequest(`The ${name} parameter is longer than ${MAX_VALUE_LENGTH} characters.`);
  }
  return value;
}

function invalidRequest(description: string): OAuthError {
  return new OAuthError("invalid_request", description, { reason: "invalid_request" });
}
