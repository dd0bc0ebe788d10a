import { generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { POST as userinfoPost } from "@/app/oauth/userinfo/route";
import { accessTokenClaims, signAccessToken } from "@/lib/oauth/jwt";
import { activeSigningKey } from "@/lib/oauth/signing-keys";
import {
  callRevoke,
  callUserinfo,
  codeFor,
  exchangeCode,
  ISSUER,
  registerClient,
  type TestClient,
} from "./support";

/** Hostile requests at the resource side: userinfo (RFC 6750) and revocation (RFC 7009). */

async function tokensFor(client: TestClient, scope?: string) {
  const flow = await codeFor(client, scope ? { scope } : {});
  const exchange = await exchangeCode(client, flow.code, flow.verifier);
  expect(exchange.status).toBe(200);
  return exchange.body;
}

function expectInvalidToken(result: { status: number; response: Response; body: unknown }) {
  expect(result.status).toBe(401);
  expect(result.response.headers.get("www-authenticate")).toMatch(
    /^Bearer realm="gatehouse", error="invalid_token"/,
  );
  expect(result.body).toMatchObject({ error: "invalid_token" });
}

describe("userinfo: bearer token errors", () => {
  it("answers a request without a token with a bare challenge", async () => {
    const result = await callUserinfo();
    expect(result.status).toBe(401);
    expect(result.response.headers.get("www-authenticate")).toBe('Bearer realm="gatehouse"');
  });

  it("refuses a garbage token", async () => {
    expectInvalidToken(await callUserinfo("not.a.jwt"));
  });

  it("refuses an ID token used as an access token", async () => {
    const client = await registerClient();
    const tokens = await tokensFor(client);
    expectInvalidToken(await callUserinfo(tokens.id_token));
  });

  it("refuses an expired access token", async () => {
    const claims = accessTokenClaims({
      userId: "usr_x",
      clientId: "ghc_x",
      scope: "openid",
      jti: "at_expired",
      issuedAt: new Date(Date.now() - 2 * 60 * 60 * 1000),
    });
    expectInvalidToken(await callUserinfo(await signAccessToken(claims, await activeSigningKey())));
  });

  it("refuses a well-signed token that has no row (never issued)", async () => {
    const claims = accessTokenClaims({
      userId: "usr_x",
      clientId: "ghc_x",
      scope: "openid",
      jti: "at_never_issued",
      issuedAt: new Date(),
    });
    expectInvalidToken(await callUserinfo(await signAccessToken(claims, await activeSigningKey())));
  });

  it("refuses a token signed by another key with our kid", async () => {
    const key = await activeSigningKey();
    const attacker = await generateKeyPair("RS256");
    const forged = await new SignJWT({
      ...accessTokenClaims({
        userId: "usr_x",
        clientId: "ghc_x",
        scope: "openid",
        jti: "at_forged",
        issuedAt: new Date(),
      }),
    })
      .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "at+jwt" })
      .sign(attacker.privateKey);
    expectInvalidToken(await callUserinfo(forged));
  });

  it("refuses an unsigned (alg none) token", async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${encode({ alg: "none", typ: "at+jwt" })}.${encode({ iss: ISSUER, sub: "usr_x" })}.`;
    expectInvalidToken(await callUserinfo(unsigned));
  });

  it("refuses a token sent both in the header and in the body", async () => {
    const client = await registerClient();
    const tokens = await tokensFor(client);
    const response = await userinfoPost(
      new Request(`${ISSUER}/oauth/userinfo`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${tokens.access_token}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ access_token: tokens.access_token }).toString(),
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request" });
  });

  it("refuses an access token that was revoked", async () => {
    const client = await registerClient();
    const tokens = await tokensFor(client);
    const revoked = await callRevoke({
      form: { token: tokens.access_token, token_type_hint: "access_token" },
      basic: [client.clientId, client.secret ?? ""],
    });
    expect(revoked.status).toBe(200);
    expectInvalidToken(await callUserinfo(tokens.access_token));
  });
});

describe("revocation", () => {
  it("answers 200 for an unknown token", async () => {
    const client = await registerClient();
    const result = await callRevoke({
      form: { token: "ghr_unknown" },
      basic: [client.clientId, client.secret ?? ""],
    });
    expect(result.status).toBe(200);
  });

  it("does not let another client revoke a token (and still answers 200)", async () => {
    const client = await registerClient();
    const other = await registerClient();
    const tokens = await tokensFor(client);
    const result = await callRevoke({
      form: { token: tokens.refresh_token },
      basic: [other.clientId, other.secret ?? ""],
    });
    expect(result.status).toBe(200);
    expect((await callUserinfo(tokens.access_token)).status).toBe(200);
  });

  it("requires client authentication", async () => {
    const client = await registerClient();
    const tokens = await tokensFor(client);
    const result = await callRevoke({ form: { token: tokens.refresh_token } });
    expect(result.status).toBe(401);
    expect(await result.response.json()).toMatchObject({ error: "invalid_client" });
  });

  it("finds a token despite a wrong token_type_hint", async () => {
    const client = await registerClient();
    const tokens = await tokensFor(client);
    await callRevoke({
      form: { token: tokens.access_token, token_type_hint: "refresh_token" },
      basic: [client.clientId, client.secret ?? ""],
    });
    expect((await callUserinfo(tokens.access_token)).status).toBe(401);
  });
});
