import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { authorizationCodes } from "@/db/schema";
import { insertClient } from "@/lib/clients";
import { db } from "@/lib/db";
import {
  authLog,
  basicHeader,
  callRevoke,
  callToken,
  callUserinfo,
  codeFor,
  exchangeCode,
  REDIRECT_URI,
  refresh,
  registerClient,
  type TestClient,
  type TokenCall,
} from "./support";

/**
 * Hostile and malformed token requests: each asserts the RFC 6749 §5.2 error and status and,
 * where the request reached an authorization code, the Failure reason in the auth log.
 */

function expectTokenError(
  result: { status: number; body: { error: string }; response: Response },
  error: string,
  status = 400,
) {
  expect(result.body.error).toBe(error);
  expect(result.status).toBe(status);
  expect(result.response.headers.get("cache-control")).toBe("no-store");
  expect(result.body).not.toHaveProperty("access_token");
}

async function expectFailureReason(authRequestId: string, reason: string) {
  const logged = await authLog(authRequestId);
  expect(logged.status).toBe("failure");
  expect(logged.errorCode).toBe(reason);
  return logged;
}

type Flow = Awaited<ReturnType<typeof codeFor>>;

describe("token endpoint: request format", () => {
  // Each request is made by a registered confidential client with HTTP Basic; `flow` is the
  // authorization code and verifier of a sign-in, for the requests that carry one.
  it.each<{ name: string; call: (flow: Flow) => Omit<TokenCall, "basic">; error: string }>([
    {
      name: "a JSON body",
      call: ({ code, verifier }) => ({
        form: JSON.stringify({ grant_type: "authorization_code", code, code_verifier: verifier }),
        contentType: "application/json",
      }),
      error: "invalid_request",
    },
    {
      name: "a multipart body",
      call: () => ({ form: "--x\r\n", contentType: "multipart/form-data; boundary=x" }),
      error: "invalid_request",
    },
    {
      name: "a duplicated parameter",
      call: ({ code, verifier }) => ({
        form: `grant_type=authorization_code&code=${code}&code=${code}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&code_verifier=${verifier}`,
      }),
      error: "invalid_request",
    },
    {
      name: "a duplicated grant_type even when both values agree",
      call: () => ({ form: "grant_type=refresh_token&grant_type=refresh_token&refresh_token=x" }),
      error: "invalid_request",
    },
    {
      name: "an unsupported grant_type",
      call: () => ({ form: { grant_type: "password", username: "ada", password: "x" } }),
      error: "unsupported_grant_type",
    },
    {
      name: "the client_credentials grant (not offered)",
      call: () => ({ form: { grant_type: "client_credentials" } }),
      error: "unsupported_grant_type",
    },
    {
      name: "a request without grant_type",
      call: () => ({ form: { code: "x" } }),
      error: "invalid_request",
    },
    {
      name: "an oversized body",
      call: () => ({ form: { grant_type: "authorization_code", code: "x".repeat(20_000) } }),
      error: "invalid_request",
    },
    {
      name: "a NUL byte in a parameter",
      call: () => ({ form: { grant_type: "refresh_token", refresh_token: "ghr_\u0000" } }),
      error: "invalid_request",
    },
    {
      name: "a missing code",
      call: () => ({ form: { grant_type: "authorization_code", redirect_uri: REDIRECT_URI } }),
      error: "invalid_request",
    },
  ])("refuses $name", async ({ call, error }) => {
    const client = await registerClient();
    const flow = await codeFor(client);
    const result = await callToken({
      ...call(flow),
      basic: [client.clientId, client.secret ?? ""],
    });
    expectTokenError(result, error);
  });
});

describe("token endpoint: client authentication", () => {
  it("refuses a wrong secret via HTTP Basic (401 + challenge) and fails the code's request", async () => {
    const client = await registerClient();
    const { code, verifier, authRequestId } = await codeFor(client);
    const result = await exchangeCode({ ...client, secret: "wrong-secret" }, code, verifier);
    expectTokenError(result, "invalid_client", 401);
    expect(result.response.headers.get("www-authenticate")).toMatch(/^Basic /);
    await expectFailureReason(authRequestId, "invalid_client");
    // The request is over: even the right secret cannot redeem the code now.
    expectTokenError(await exchangeCode(client, code, verifier), "invalid_grant");
  });

  it("refuses a wrong secret via client_secret_post and fails the code's request", async () => {
    const client = await registerClient();
    const { code, verifier, authRequestId } = await codeFor(client);
    const result = await callToken({
      form: {
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: client.clientId,
        client_secret: "wrong-secret",
      },
    });
    expectTokenError(result, "invalid_client", 401);
    await expectFailureReason(authRequestId, "invalid_client");
  });

  it("accepts client_secret_post with the right secret", async () => {
    const client = await registerClient();
    const { code, verifier } = await codeFor(client);
    const result = await callToken({
      form: {
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: client.clientId,
        client_secret: client.secret ?? "",
      },
    });
    expect(result.status).toBe(200);
  });

  it("refuses two authentication methods at once", async () => {
    const client = await registerClient();
    const { code, verifier } = await codeFor(client);
    const result = await callToken({
      form: {
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_secret: client.secret ?? "",
      },
      basic: [client.clientId, client.secret ?? ""],
    });
    expectTokenError(result, "invalid_request");
  });

  it("refuses a client_id in the body that differs from HTTP Basic", async () => {
    const client = await registerClient();
    const other = await registerClient();
    const result = await callToken({
      form: { grant_type: "authorization_code", code: "x", client_id: other.clientId },
      basic: [client.clientId, client.secret ?? ""],
    });
    expectTokenError(result, "invalid_request");
  });

  it("refuses a confidential client that sends no secret", async () => {
    const client = await registerClient();
    const { code, verifier } = await codeFor(client);
    const result = await callToken({
      form: {
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: client.clientId,
      },
    });
    expectTokenError(result, "invalid_client", 401);
  });

  it.each<{ name: string; call: Pick<TokenCall, "basic" | "headers"> }>([
    { name: "an unknown client", call: { basic: ["ghc_nobody", "secret"] } },
    { name: "a request with no client identification at all", call: {} },
    {
      name: "a malformed Authorization header",
      call: { headers: { authorization: "Basic !!not-base64!!" } },
    },
    {
      name: "a NUL byte inside HTTP Basic credentials",
      call: { headers: { authorization: basicHeader("ghc_\u0000x", "secret") } },
    },
    {
      name: "a Bearer Authorization header at the token endpoint",
      call: { headers: { authorization: "Bearer some-token" } },
    },
  ])("refuses $name (401)", async ({ call }) => {
    const result = await callToken({
      form: { grant_type: "authorization_code", code: "x" },
      ...call,
    });
    expectTokenError(result, "invalid_client", 401);
  });

  it("refuses a public client that sends a secret (it has none)", async () => {
    const client = await registerClient({ type: "public" });
    const { code, verifier } = await codeFor(client);
    const result = await callToken({
      form: {
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: client.clientId,
        client_secret: "made-up",
      },
    });
    expectTokenError(result, "invalid_client", 401);
  });

  it("accepts a public client with client_id only, and an empty Basic password", async () => {
    const client = await registerClient({ type: "public" });
    const first = await codeFor(client);
    const viaBody = await callToken({
      form: {
        grant_type: "authorization_code",
        code: first.code,
        redirect_uri: REDIRECT_URI,
        code_verifier: first.verifier,
        client_id: client.clientId,
      },
    });
    expect(viaBody.status).toBe(200);
    const second = await codeFor(client);
    const viaBasic = await callToken({
      form: {
        grant_type: "authorization_code",
        code: second.code,
        redirect_uri: REDIRECT_URI,
        code_verifier: second.verifier,
      },
      headers: { authorization: basicHeader(client.clientId, "") },
    });
    expect(viaBasic.status).toBe(200);
  });

  it("URL-decodes HTTP Basic credentials (RFC 6749 §2.3.1)", async () => {
    const secret = "s3cret with spaces+plus:colon%percent";
    const { client } = await insertClient(db, {
      name: "Encoded secret app",
      type: "confidential",
      redirectUris: [REDIRECT_URI],
      clientSecret: secret,
    });
    const testClient = { clientId: client.clientId, secret, name: client.name };
    const { code, verifier } = await codeFor(testClient);
    expect((await exchangeCode(testClient, code, verifier)).status).toBe(200);
  });
});

describe("token endpoint: authorization_code grant", () => {
  it("refuses a code presented by another client", async () => {
    const client = await registerClient();
    const thief = await registerClient();
    const { code, verifier, authRequestId } = await codeFor(client);
    expectTokenError(await exchangeCode(thief, code, verifier), "invalid_grant");
    await expectFailureReason(authRequestId, "client_mismatch");
  });

  it.each<{
    name: string;
    redirectUris?: string[];
    exchange: (client: TestClient, flow: Flow) => ReturnType<typeof callToken>;
    reason: string;
  }>([
    {
      name: "a redirect_uri that differs from the authorization request",
      redirectUris: [REDIRECT_URI, "https://app.example.com/other"],
      exchange: (client, { code, verifier }) =>
        exchangeCode(client, code, verifier, { redirect_uri: "https://app.example.com/other" }),
      reason: "redirect_uri_mismatch",
    },
    {
      name: "a redirect_uri with a trailing slash at the token endpoint",
      exchange: (client, { code, verifier }) =>
        exchangeCode(client, code, verifier, { redirect_uri: `${REDIRECT_URI}/` }),
      reason: "redirect_uri_mismatch",
    },
    {
      name: "a missing redirect_uri",
      exchange: (client, { code, verifier }) =>
        callToken({
          form: { grant_type: "authorization_code", code, code_verifier: verifier },
          basic: [client.clientId, client.secret ?? ""],
        }),
      reason: "redirect_uri_mismatch",
    },
    {
      name: "a missing code_verifier",
      exchange: (client, { code }) =>
        callToken({
          form: { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI },
          basic: [client.clientId, client.secret ?? ""],
        }),
      reason: "pkce_mismatch",
    },
    {
      name: "a code_verifier shorter than 43 characters",
      exchange: (client, { code, verifier }) => exchangeCode(client, code, verifier.slice(0, 42)),
      reason: "pkce_mismatch",
    },
    {
      name: "the challenge itself sent as verifier (plain downgrade)",
      exchange: (client, { code, params }) =>
        exchangeCode(client, code, params.code_challenge ?? ""),
      reason: "pkce_mismatch",
    },
  ])("refuses $name and logs $reason", async ({ redirectUris, exchange, reason }) => {
    const client = await registerClient({ redirectUris });
    const flow = await codeFor(client);
    expectTokenError(await exchange(client, flow), "invalid_grant");
    await expectFailureReason(flow.authRequestId, reason);
  });

  it("refuses a wrong code_verifier, and the failed attempt spends the code", async () => {
    const client = await registerClient();
    const { code, verifier, authRequestId } = await codeFor(client);
    const wrong = await exchangeCode(client, code, "w".repeat(64));
    expectTokenError(wrong, "invalid_grant");
    await expectFailureReason(authRequestId, "pkce_mismatch");
    expectTokenError(await exchangeCode(client, code, verifier), "invalid_grant");
  });

  it("refuses an expired code", async () => {
    const client = await registerClient();
    const { code, verifier, authRequestId } = await codeFor(client);
    await db
      .update(authorizationCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(authorizationCodes.authRequestId, authRequestId));
    expectTokenError(await exchangeCode(client, code, verifier), "invalid_grant");
    await expectFailureReason(authRequestId, "code_expired");
  });

  it("refuses an unknown code without touching any auth request", async () => {
    const client = await registerClient();
    const result = await exchangeCode(client, "not-a-real-code", "v".repeat(43));
    expectTokenError(result, "invalid_grant");
  });

  it("on replay revokes the first exchange's tokens and fails the request as code_replayed", async () => {
    const client = await registerClient();
    const { code, verifier, authRequestId } = await codeFor(client);
    const first = await exchangeCode(client, code, verifier);
    expect(first.status).toBe(200);
    expect((await authLog(authRequestId)).status).toBe("success");

    const replay = await exchangeCode(client, code, verifier);
    expectTokenError(replay, "invalid_grant");
    const logged = await expectFailureReason(authRequestId, "code_replayed");
    const replayEvent = logged.events.at(-1);
    expect(replayEvent?.type).toBe("failed: code_replayed");
    expect(replayEvent?.detail).toMatchObject({
      revoked_access_tokens: [expect.stringMatching(/^at_/)],
      revoked_refresh_tokens: [expect.stringMatching(/^rt_/)],
    });

    const info = await callUserinfo(first.body.access_token);
    expect(info.status).toBe(401);
    expect(info.response.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expectTokenError(await refresh(client, first.body.refresh_token), "invalid_grant");
  });
});

describe("token endpoint: refresh_token grant", () => {
  async function tokensFor(client: Awaited<ReturnType<typeof registerClient>>) {
    const flow = await codeFor(client);
    const exchange = await exchangeCode(client, flow.code, flow.verifier);
    expect(exchange.status).toBe(200);
    return { ...flow, tokens: exchange.body };
  }

  it("detects reuse of a rotated token and revokes the whole family", async () => {
    const client = await registerClient();
    const { tokens, authRequestId } = await tokensFor(client);
    const rotated = await refresh(client, tokens.refresh_token);
    expect(rotated.status).toBe(200);

    expectTokenError(await refresh(client, tokens.refresh_token), "invalid_grant");
    // The newest token of the family and its access token are revoked too.
    expectTokenError(await refresh(client, rotated.body.refresh_token), "invalid_grant");
    expect((await callUserinfo(rotated.body.access_token)).status).toBe(401);
    expect((await callUserinfo(tokens.access_token)).status).toBe(401);

    const logged = await authLog(authRequestId);
    expect(logged.status).toBe("success");
    const reuse = logged.events.find((event) => event.type === "refresh_token_reuse_detected");
    expect(reuse?.status).toBeNull();
    // Both tokens of the family (the reused one and its successor) and both access tokens.
    expect(reuse?.detail.revoked_refresh_tokens).toHaveLength(2);
    expect(reuse?.detail.revoked_access_tokens).toHaveLength(2);
  });

  it("refuses a refresh token presented by another client, leaving it usable", async () => {
    const client = await registerClient();
    const other = await registerClient();
    const { tokens } = await tokensFor(client);
    expectTokenError(await refresh(other, tokens.refresh_token), "invalid_grant");
    expect((await refresh(client, tokens.refresh_token)).status).toBe(200);
  });

  it("refuses a widened scope", async () => {
    const client = await registerClient();
    const flow = await codeFor(client, { scope: "openid offline_access" });
    const tokens = (await exchangeCode(client, flow.code, flow.verifier)).body;
    const result = await refresh(client, tokens.refresh_token, { scope: "openid email" });
    expectTokenError(result, "invalid_scope");
  });

  it("refuses an unknown refresh token", async () => {
    const client = await registerClient();
    expectTokenError(await refresh(client, "ghr_forged"), "invalid_grant");
  });

  it("refuses a missing refresh_token", async () => {
    const client = await registerClient();
    const result = await callToken({
      form: { grant_type: "refresh_token" },
      basic: [client.clientId, client.secret ?? ""],
    });
    expectTokenError(result, "invalid_request");
  });

  it("refuses a refresh token after its revocation", async () => {
    const client = await registerClient();
    const { tokens } = await tokensFor(client);
    const revoked = await callRevoke({
      form: { token: tokens.refresh_token, token_type_hint: "refresh_token" },
      basic: [client.clientId, client.secret ?? ""],
    });
    expect(revoked.status).toBe(200);
    expectTokenError(await refresh(client, tokens.refresh_token), "invalid_grant");
    expect((await callUserinfo(tokens.access_token)).status).toBe(401);
  });
});
