import { describe, expect, it } from "vitest";
import {
  MAX_QUERY_BYTES,
  parseAuthorizeParams,
  readAuthorizeQuery,
  stateToEcho,
  UntrustedAuthorizeRequestError,
} from "./authorize-params";
import { OAuthError } from "./errors";

const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

function query(overrides: Record<string, string | null> = {}, extra = ""): string {
  const base: Record<string, string | null> = {
    response_type: "code",
    client_id: "ghc_app",
    redirect_uri: "https://app.example.com/callback",
    scope: "openid email",
    state: "xyz",
    nonce: "n-0S6_WzA2Mj",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
    ...overrides,
  };
  const entries = Object.entries(base).filter(
    (entry): entry is [string, string] => entry[1] !== null,
  );
  return `?${new URLSearchParams(entries)}${extra}`;
}

function parse(overrides: Record<string, string | null> = {}, extra = "") {
  return parseAuthorizeParams(readAuthorizeQuery(query(overrides, extra)));
}

function oauthErrorOf(run: () => unknown): OAuthError {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) return error;
    throw error;
  }
  throw new Error("expected an OAuthError");
}

function untrustedErrorOf(run: () => unknown): UntrustedAuthorizeRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof UntrustedAuthorizeRequestError) return error;
    throw error;
  }
  throw new Error("expected an UntrustedAuthorizeRequestError");
}

describe("readAuthorizeQuery (before the client is trusted)", () => {
  it("reads client_id and redirect_uri", () => {
    const read = readAuthorizeQuery(query());
    expect(read.clientId).toBe("ghc_app");
    expect(read.redirectUri).toBe("https://app.example.com/callback");
  });

  it.each([
    ["missing client_id", query({ client_id: null }), "invalid_client"],
    ["empty client_id (treated as omitted)", query({ client_id: "" }), "invalid_client"],
    ["missing redirect_uri", query({ redirect_uri: null }), "invalid_redirect_uri"],
    ["duplicated client_id", query({}, "&client_id=other"), "invalid_request"],
    ["duplicated redirect_uri", query({}, "&redirect_uri=x"), "invalid_request"],
    ["an oversized query", query({ state: "s".repeat(MAX_QUERY_BYTES) }), "invalid_request"],
  ])("refuses %s", (_label, raw, reason) => {
    expect(untrustedErrorOf(() => readAuthorizeQuery(raw)).reason).toBe(reason);
  });

  it("echoes a single bounded state only", () => {
    expect(stateToEcho(readAuthorizeQuery(query()))).toBe("xyz");
    expect(stateToEcho(readAuthorizeQuery(query({ state: "s".repeat(2049) })))).toBeUndefined();
    expect(stateToEcho(readAuthorizeQuery(query({}, "&state=again")))).toBeUndefined();
  });
});

describe("parseAuthorizeParams (errors go back to the client)", () => {
  it("parses a complete request", () => {
    expect(parse({ prompt: "login", max_age: "300", login_hint: "ada@example.com" })).toEqual({
      clientId: "ghc_app",
      redirectUri: "https://app.example.com/callback",
      scopes: ["openid", "email"],
      state: "xyz",
      nonce: "n-0S6_WzA2Mj",
      codeChallenge: CHALLENGE,
      codeChallengeMethod: "S256",
      prompt: ["login"],
      maxAge: 300,
      loginHint: "ada@example.com",
    });
  });

  it("drops unknown scope values and repeated ones (OIDC Core §3.1.2.1)", () => {
    expect(parse({ scope: "openid  openid custom:read profile" }).scopes).toEqual([
      "openid",
      "profile",
    ]);
  });

  it.each([
    [
      "response_type=token",
      { response_type: "token" },
      "unsupported_response_type",
      "unsupported_response_type",
    ],
    ["no response_type", { response_type: null }, "invalid_request", "invalid_request"],
    ["no openid scope", { scope: "email" }, "invalid_scope", "invalid_scope"],
    ["no code_challenge", { code_challenge: null }, "invalid_request", "pkce_required"],
    ["plain PKCE", { code_challenge_method: "plain" }, "invalid_request", "pkce_required"],
    ["no challenge method", { code_challenge_method: null }, "invalid_request", "pkce_required"],
    [
      "a 42-character challenge",
      { code_challenge: "a".repeat(42) },
      "invalid_request",
      "invalid_request",
    ],
    [
      "a 129-character challenge",
      { code_challenge: "a".repeat(129) },
      "invalid_request",
      "invalid_request",
    ],
    [
      "a challenge with '='",
      { code_challenge: `${"a".repeat(42)}=` },
      "invalid_request",
      "invalid_request",
    ],
    ["a long state", { state: "s".repeat(2049) }, "invalid_request", "invalid_request"],
    ["a long nonce", { nonce: "n".repeat(2049) }, "invalid_request", "invalid_request"],
    [
      "response_mode=form_post",
      { response_mode: "form_post" },
      "invalid_request",
      "invalid_request",
    ],
    ["prompt=none consent", { prompt: "none consent" }, "invalid_request", "invalid_request"],
    ["an unknown prompt", { prompt: "register" }, "invalid_request", "invalid_request"],
    ["max_age=1.5", { max_age: "1.5" }, "invalid_request", "invalid_request"],
    ["a request object", { request: "jwt" }, "request_not_supported", "invalid_request"],
    ["a request_uri", { request_uri: "urn:x" }, "request_uri_not_supported", "invalid_request"],
  ])("refuses %s", (_label, overrides, error, reason) => {
    const refused = oauthErrorOf(() => parse(overrides as Record<string, string | null>));
    expect(refused.error).toBe(error);
    expect(refused.reason).toBe(reason);
    expect(refused.description).not.toMatch(/zod|expected/i);
  });

  it("refuses any duplicated parameter", () => {
    const refused = oauthErrorOf(() => parse({}, "&nonce=again"));
    expect(refused.error).toBe("invalid_request");
    expect(refused.description).toContain("nonce");
  });

  it("accepts the 43 and 128 character bounds of a challenge", () => {
    expect(parse({ code_challenge: "a".repeat(43) }).codeChallenge).toHaveLength(43);
    expect(parse({ code_challenge: "a".repeat(128) }).codeChallenge).toHaveLength(128);
  });
});
