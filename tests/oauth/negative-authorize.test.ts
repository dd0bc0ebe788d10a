import { describe, expect, it } from "vitest";
import { newSecret } from "@/lib/ids";
import {
  authLog,
  authorizeParams,
  callAuthorize,
  ISSUER,
  latestAuthRequestFor,
  REDIRECT_URI,
  registerClient,
  type TestClient,
} from "./support";

/**
 * Hostile and malformed authorization requests. Two families: those whose client or
 * redirect_uri cannot be trusted get a 400 page and never a redirect (RFC 6749 §4.1.2.1); the
 * rest go back to the verified redirect_uri with the RFC error, `iss` and the echoed state.
 * Every one is in the auth log as a Failure with its reason.
 */

async function expectErrorPage(response: Response, reason: string) {
  expect(response.status).toBe(400);
  expect(response.headers.get("location")).toBeNull();
  expect(response.headers.get("content-type")).toContain("text/html");
  const html = await response.text();
  const reference = /Reference: <code>(areq_[a-z0-9]+)<\/code>/.exec(html)?.[1];
  expect(reference).toBeDefined();
  const logged = await authLog(reference ?? "");
  expect(logged.status).toBe("failure");
  expect(logged.errorCode).toBe(reason);
  return { html, logged };
}

async function expectErrorRedirect(
  response: Response,
  client: TestClient,
  expected: { error: string; reason: string; state?: string | null },
) {
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get("location") ?? "");
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  expect(location.searchParams.get("error")).toBe(expected.error);
  expect(location.searchParams.get("error_description")).toBeTruthy();
  expect(location.searchParams.get("iss")).toBe(ISSUER);
  expect(location.searchParams.get("code")).toBeNull();
  if (expected.state !== undefined) expect(location.searchParams.get("state")).toBe(expected.state);
  const logged = await latestAuthRequestFor(client.clientId);
  expect(logged.status).toBe("failure");
  expect(logged.errorCode).toBe(expected.reason);
  return location;
}

describe("authorize: untrusted client or redirect_uri → 400 page, no redirect", () => {
  it("refuses an unknown client_id", async () => {
    const client = await registerClient();
    const { params } = authorizeParams(client, { client_id: `ghc_unknown_${newSecret(6)}` });
    const { logged } = await expectErrorPage(await callAuthorize(params), "invalid_client");
    expect(logged.clientId).toBe(params.client_id);
    expect(logged.ip).toBe("203.0.113.7");
  });

  it("refuses a request without client_id", async () => {
    const client = await registerClient();
    const { params } = authorizeParams(client, { client_id: null });
    await expectErrorPage(await callAuthorize(params), "invalid_client");
  });

  it("refuses a request without redirect_uri", async () => {
    const client = await registerClient();
    const { params } = authorizeParams(client, { redirect_uri: null });
    await expectErrorPage(await callAuthorize(params), "invalid_redirect_uri");
  });

  const hostileRedirects: [string, string][] = [
    ["a prefix of the registered URI", "https://app.example.com/call"],
    ["an extra path segment", "https://app.example.com/callback/evil"],
    ["a trailing slash", "https://app.example.com/callback/"],
    ["a different port", "https://app.example.com:8443/callback"],
    ["an uppercase host", "https://APP.example.com/callback"],
    ["a fragment", "https://app.example.com/callback#token"],
    ["a javascript: URI", "javascript:alert(document.cookie)"],
    ["another origin (open redirect)", "https://evil.example/callback"],
    ["userinfo pointing elsewhere", "https://app.example.com@evil.example/callback"],
    ["an added query", "https://app.example.com/callback?next=https://evil.example"],
    ["an http downgrade", "http://app.example.com/callback"],
    ["a dot-segment path", "https://app.example.com/callback/../evil"],
    ["a data: URI", "data:text/html,<script>alert(1)</script>"],
  ];
  it.each(hostileRedirects)("refuses a redirect_uri with %s", async (_label, redirectUri) => {
    const client = await registerClient();
    const { params } = authorizeParams(client, { redirect_uri: redirectUri });
    const { logged } = await expectErrorPage(await callAuthorize(params), "invalid_redirect_uri");
    expect(logged.clientId).toBe(client.clientId);
  });

  it("refuses a duplicated client_id", async () => {
    const client = await registerClient();
    const { params } = authorizeParams(client);
    const query = `${new URLSearchParams(params)}&client_id=${client.clientId}`;
    await expectErrorPage(await callAuthorize(query), "invalid_request");
  });

  it("refuses a duplicated redirect_uri, even when both copies are registered", async () => {
    const client = await registerClient();
    const { params } = authorizeParams(client);
    const query = `${new URLSearchParams(params)}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`;
    await expectErrorPage(await callAuthorize(query), "invalid_request");
  });

  it("refuses a query longer than 8 KiB", async () => {
    const client = await registerClient();
    const { params } = authorizeParams(client, { ui_locales: "x".repeat(9000) });
    await expectErrorPage(await callAuthorize(params), "invalid_request");
  });

  it("refuses a NUL byte in client_id (it could not even be logged as sent)", async () => {
    const client = await registerClient();
    const { params } = authorizeParams(client, { client_id: `${client.clientId}\u0000` });
    const { logged } = await expectErrorPage(await callAuthorize(params), "invalid_request");
    expect(logged.clientId).toBe(client.clientId);
  });

  it("refuses control characters in state rather than reflecting them", async () => {
    const client = await registerClient();
    const { params } = authorizeParams(client, { state: "abc\r\nSet-Cookie: x=y" });
    await expectErrorPage(await callAuthorize(params), "invalid_request");
  });

  it("escapes what it echoes on the error page", async () => {
    const client = await registerClient();
    const { params } = authorizeParams(client, { redirect_uri: "https://x.example/<script>" });
    const { html } = await expectErrorPage(await callAuthorize(params), "invalid_redirect_uri");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });
});

describe("authorize: errors returned to the verified redirect_uri", () => {
  type Case = {
    label: string;
    overrides?: Record<string, string | null>;
    raw?: (query: string) => string;
    error: string;
    reason: string;
    echoesState?: boolean;
  };
  const challenge43 = "a".repeat(43);
  const cases: Case[] = [
    {
      label: "response_type=token (implicit flow)",
      overrides: { response_type: "token" },
      error: "unsupported_response_type",
      reason: "unsupported_response_type",
    },
    {
      label: "response_type=code id_token (hybrid flow)",
      overrides: { response_type: "code id_token" },
      error: "unsupported_response_type",
      reason: "unsupported_response_type",
    },
    {
      label: "a missing response_type",
      overrides: { response_type: null },
      error: "invalid_request",
      reason: "invalid_request",
    },
    {
      label: "a scope without openid",
      overrides: { scope: "profile email" },
      error: "invalid_scope",
      reason: "invalid_scope",
    },
    {
      label: "a missing scope",
      overrides: { scope: null },
      error: "invalid_scope",
      reason: "invalid_scope",
    },
    {
      label: "a missing code_challenge",
      overrides: { code_challenge: null, code_challenge_method: null },
      error: "invalid_request",
      reason: "pkce_required",
    },
    {
      label: "code_challenge_method=plain",
      overrides: { code_challenge: challenge43, code_challenge_method: "plain" },
      error: "invalid_request",
      reason: "pkce_required",
    },
    {
      label: "a missing code_challenge_method (plain by default)",
      overrides: { code_challenge_method: null },
      error: "invalid_request",
      reason: "pkce_required",
    },
    {
      label: "an unknown code_challenge_method",
      overrides: { code_challenge_method: "S512" },
      error: "invalid_request",
      reason: "pkce_required",
    },
    {
      label: "a code_challenge shorter than 43 characters",
      overrides: { code_challenge: "a".repeat(42) },
      error: "invalid_request",
      reason: "invalid_request",
    },
    {
      label: "a code_challenge with padding and non-base64url characters",
      overrides: { code_challenge: `${"a".repeat(41)}+/=` },
      error: "invalid_request",
      reason: "invalid_request",
    },
    {
      label: "a code_challenge longer than 128 characters",
      overrides: { code_challenge: "a".repeat(129) },
      error: "invalid_request",
      reason: "invalid_request",
    },
    {
      label: "a state longer than 2048 characters (not echoed back)",
      overrides: { state: "s".repeat(2049) },
      error: "invalid_request",
      reason: "invalid_request",
      echoesState: false,
    },
    {
      label: "a nonce longer than 2048 characters",
      overrides: { nonce: "n".repeat(2049) },
      error: "invalid_request",
      reason: "invalid_request",
    },
    {
      label: "a duplicated state (not echoed back)",
      raw: (query) => `${query}&state=second`,
      error: "invalid_request",
      reason: "invalid_request",
      echoesState: false,
    },
    {
      label: "a duplicated scope",
      raw: (query) => `${query}&scope=openid`,
      error: "invalid_request",
      reason: "invalid_request",
    },
    {
      label: "a duplicated code_challenge",
      raw: (query) => `${query}&code_challenge=${"b".repeat(43)}`,
      error: "invalid_request",
      reason: "invalid_request",
    },
    {
      label: "response_mode=fragment",
      overrides: { response_mode: "fragment" },
      error: "invalid_request",
      reason: "invalid_request",
    },
    {
      label: "prompt=none combined with login",
      overrides: { prompt: "none login" },
      error: "invalid_request",
      reason: "invalid_request",
    },
    {
      label: "an unknown prompt value",
      overrides: { prompt: "create" },
      error: "invalid_request",
      reason: "invalid_request",
    },
    {
      label: "a negative max_age",
      overrides: { max_age: "-1" },
      error: "invalid_request",
      reason: "invalid_request",
    },
    {
      label: "a request object",
      overrides: { request: "eyJhbGciOiJub25lIn0.e30." },
      error: "request_not_supported",
      reason: "invalid_request",
    },
    {
      label: "a request_uri",
      overrides: { request_uri: "https://evil.example/request.jwt" },
      error: "request_uri_not_supported",
      reason: "invalid_request",
    },
    {
      label: "prompt=none without a session",
      overrides: { prompt: "none" },
      error: "login_required",
      reason: "login_required",
    },
  ];

  it.each(cases)("answers $error for $label", async (testCase) => {
    const client = await registerClient();
    const { params } = authorizeParams(client, testCase.overrides);
    const query = new URLSearchParams(params).toString();
    const response = await callAuthorize(testCase.raw ? testCase.raw(query) : query);
    const echoed = testCase.echoesState === false ? null : params.state;
    await expectErrorRedirect(response, client, { ...testCase, state: echoed });
  });

  it("keeps the redirect well-formed when the state contains hostile characters", async () => {
    const client = await registerClient();
    const state = `x"&error=fake#<script>`;
    const { params } = authorizeParams(client, { state, response_type: "token" });
    const location = await expectErrorRedirect(await callAuthorize(params), client, {
      error: "unsupported_response_type",
      reason: "unsupported_response_type",
      state,
    });
    expect(location.searchParams.getAll("error")).toEqual(["unsupported_response_type"]);
    expect(location.hash).toBe("");
  });

  it("logs prompt=none without a session with the request's details", async () => {
    const client = await registerClient();
    const { params } = authorizeParams(client, { prompt: "none", login_hint: "ada@example.com" });
    await callAuthorize(params);
    const logged = await latestAuthRequestFor(client.clientId);
    expect(logged.events.map((event) => event.type)).toEqual([
      "authorize_received",
      "failed: login_required",
    ]);
    expect(logged.loginHint).toBe("ada@example.com");
    expect(logged.prompt).toBe("none");
  });
});
