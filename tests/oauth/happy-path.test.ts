import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { GET as discoveryRoute } from "@/app/.well-known/openid-configuration/route";
import { GET as jwksRoute } from "@/app/oauth/jwks/route";
import { accessTokenHash } from "@/lib/oauth/jwt";
import {
  authLog,
  authorizeParams,
  beginFlow,
  callAuthorize,
  callUserinfo,
  exchangeCode,
  ISSUER,
  REDIRECT_URI,
  refresh,
  registerClient,
  registerUser,
  signIn,
} from "./support";

async function jwks() {
  const response = await jwksRoute();
  expect(response.status).toBe(200);
  return createLocalJWKSet(await response.json());
}

describe("authorization code flow, end to end", () => {
  it("authorize → sign-in → token → ID token verified by JWKS → userinfo → refresh", async () => {
    const client = await registerClient();
    const user = await registerUser();

    const flow = await beginFlow(client);
    const afterAuthorize = await authLog(flow.authRequestId);
    expect(afterAuthorize.status).toBe("initiated");
    expect(afterAuthorize.ip).toBe("203.0.113.7");
    expect(afterAuthorize.userAgent).toBe("vitest");

    const { code, redirect, session } = await signIn(flow.authRequestId, user.id);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get("state")).toBe(flow.params.state);
    expect(redirect.searchParams.get("iss")).toBe(ISSUER);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session).toMatchObject({ name: "gatehouse_session", httpOnly: true, sameSite: "lax" });
    expect((await authLog(flow.authRequestId)).status).toBe("pending");

    const exchange = await exchangeCode(client, code, flow.verifier);
    expect(exchange.status).toBe(200);
    expect(exchange.response.headers.get("cache-control")).toBe("no-store");
    const tokens = exchange.body;
    expect(tokens).toMatchObject({
      token_type: "Bearer",
      expires_in: 3600,
      scope: "openid profile email offline_access",
    });
    expect(tokens.refresh_token).toMatch(/^ghr_/);

    const keys = await jwks();
    const { payload: idToken } = await jwtVerify(tokens.id_token, keys, {
      issuer: ISSUER,
      audience: client.clientId,
      algorithms: ["RS256"],
    });
    expect(idToken).toMatchObject({
      sub: user.id,
      nonce: flow.params.nonce,
      email: user.email,
      email_verified: false,
      name: "Ada Lovelace",
      at_hash: accessTokenHash(tokens.access_token),
    });
    expect(typeof idToken.auth_time).toBe("number");

    const { payload: accessToken, protectedHeader } = await jwtVerify(tokens.access_token, keys, {
      issuer: ISSUER,
      audience: client.clientId,
      typ: "at+jwt",
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(accessToken).toMatchObject({ sub: user.id, client_id: client.clientId });

    const info = await callUserinfo(tokens.access_token);
    expect(info.status).toBe(200);
    expect(info.body).toEqual({
      sub: user.id,
      email: user.email,
      email_verified: false,
      name: "Ada Lovelace",
    });

    const rotated = await refresh(client, tokens.refresh_token);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(tokens.refresh_token);
    const { payload: refreshedIdToken } = await jwtVerify(rotated.body.id_token, keys, {
      issuer: ISSUER,
      audience: client.clientId,
    });
    expect(refreshedIdToken.auth_time).toBe(idToken.auth_time);
    expect(refreshedIdToken.nonce).toBe(flow.params.nonce);
    expect((await callUserinfo(rotated.body.access_token)).status).toBe(200);

    const journey = await authLog(flow.authRequestId);
    expect(journey.status).toBe("success");
    expect(journey.userId).toBe(user.id);
    expect(journey.authMethod).toBe("password");
    expect(journey.events.map((event) => [event.type, event.status])).toEqual([
      ["authorize_received", "initiated"],
      ["user_identified", "pending"],
      ["code_issued", null],
      ["code_exchanged", "success"],
      ["token_refreshed", null],
    ]);
  });

  it("narrows scope on refresh and leaves the ID token out without openid", async () => {
    const client = await registerClient();
    const user = await registerUser();
    const flow = await beginFlow(client);
    const { code } = await signIn(flow.authRequestId, user.id);
    const tokens = (await exchangeCode(client, code, flow.verifier)).body;

    const narrowed = await refresh(client, tokens.refresh_token, { scope: "email" });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe("email");
    expect(narrowed.body.id_token).toBeUndefined();
    // The refresh token keeps the whole grant (RFC 6749 §6): openid can be asked for again.
    const widenedBack = await refresh(client, narrowed.body.refresh_token, { scope: "openid" });
    expect(widenedBack.status).toBe(200);
    expect(widenedBack.body.id_token).toBeDefined();
  });

  it("issues no refresh token without offline_access and omits claims not in scope", async () => {
    const client = await registerClient();
    const user = await registerUser();
    const flow = await beginFlow(client, { scope: "openid unknown-scope" });
    const { code } = await signIn(flow.authRequestId, user.id);
    const tokens = (await exchangeCode(client, code, flow.verifier)).body;
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope).toBe("openid");
    const { payload } = await jwtVerify(tokens.id_token, await jwks());
    expect(payload.email).toBeUndefined();
    expect(payload.name).toBeUndefined();
    expect((await callUserinfo(tokens.access_token)).body).toEqual({ sub: user.id });
  });

  it("reuses a live session silently, and asks again for prompt=login or an old max_age", async () => {
    const client = await registerClient();
    const user = await registerUser();
    const first = await beginFlow(client);
    const { session } = await signIn(first.authRequestId, user.id);

    const silent = await callAuthorize(authorizeParams(client).params, { cookie: session.value });
    expect(silent.status).toBe(303);
    const location = new URL(silent.headers.get("location") ?? "");
    expect(location.searchParams.get("code")).toBeTruthy();
    expect(location.searchParams.get("iss")).toBe(ISSUER);

    const forced = await callAuthorize(authorizeParams(client, { prompt: "login" }).params, {
      cookie: session.value,
    });
    expect(new URL(forced.headers.get("location") ?? "").pathname).toBe("/sign-in");

    // Immediately after sign-in an age of 0 s may or may not have passed; -1 s worth is certain.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const stale = await callAuthorize(authorizeParams(client, { max_age: "0" }).params, {
      cookie: session.value,
    });
    expect(new URL(stale.headers.get("location") ?? "").pathname).toBe("/sign-in");
  });

  it("completes a silent authorization with auth method session and the session's auth_time", async () => {
    const client = await registerClient();
    const user = await registerUser();
    const first = await beginFlow(client);
    const { session } = await signIn(first.authRequestId, user.id);
    const { params, verifier } = authorizeParams(client, { prompt: "none" });
    const silent = await callAuthorize(params, { cookie: session.value });
    const code = new URL(silent.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const tokens = await exchangeCode(client, code, verifier);
    expect(tokens.status).toBe(200);
    const header = decodeProtectedHeader(tokens.body.id_token);
    expect(header.kid).toBeTruthy();
  });
});

describe("discovery", () => {
  it("advertises the implemented surface", async () => {
    const response = discoveryRoute();
    const metadata = await response.json();
    expect(metadata).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/oauth/authorize`,
      token_endpoint: `${ISSUER}/oauth/token`,
      userinfo_endpoint: `${ISSUER}/oauth/userinfo`,
      jwks_uri: `${ISSUER}/oauth/jwks`,
      revocation_endpoint: `${ISSUER}/oauth/revoke`,
      end_session_endpoint: `${ISSUER}/oauth/logout`,
      response_types_supported: ["code"],
      code_challenge_methods_supported: ["S256"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      authorization_response_iss_parameter_supported: true,
    });
  });
});
