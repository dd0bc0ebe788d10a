import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import type { User } from "@/db/schema";
import {
  ACCESS_TOKEN_LIFETIME_S,
  accessTokenClaims,
  accessTokenHash,
  idTokenClaims,
  signAccessToken,
  signIdToken,
  verifyAccessTokenJwt,
} from "./jwt";
import { activeSigningKey, publishedJwks } from "./signing-keys";

const ISSUER = "http://localhost:3000";
const issuedAt = new Date("2030-01-01T00:00:00Z");
const user: User = {
  id: "usr_ada",
  email: "Ada@Example.com",
  name: "Ada Lovelace",
  passwordHash: null,
  emailVerifiedAt: new Date("2029-12-01T00:00:00Z"),
  createdAt: issuedAt,
  updatedAt: issuedAt,
};

describe("access token claims (RFC 9068 §2.2)", () => {
  it("carries iss, sub, aud, client_id, scope, jti, iat and a 1 h exp", () => {
    expect(
      accessTokenClaims({
        userId: "usr_ada",
        clientId: "ghc_app",
        scope: "openid email",
        jti: "at_1",
        issuedAt,
      }),
    ).toEqual({
      iss: ISSUER,
      sub: "usr_ada",
      aud: "ghc_app",
      client_id: "ghc_app",
      scope: "openid email",
      jti: "at_1",
      iat: 1_893_456_000,
      exp: 1_893_456_000 + ACCESS_TOKEN_LIFETIME_S,
    });
  });
});

describe("ID token claims (OIDC Core §2, §3.1.3.6, §5.4)", () => {
  const base = {
    user,
    clientId: "ghc_app",
    nonce: "n-1",
    authTime: new Date("2029-12-31T23:59:00Z"),
    accessToken: "access-token-value",
    issuedAt,
  };

  it("has the required claims, nonce, auth_time and at_hash", () => {
    const claims = idTokenClaims({ ...base, scope: "openid" });
    expect(claims).toEqual({
      iss: ISSUER,
      sub: "usr_ada",
      aud: "ghc_app",
      iat: 1_893_456_000,
      exp: 1_893_456_000 + 3600,
      auth_time: 1_893_455_940,
      nonce: "n-1",
      at_hash: accessTokenHash("access-token-value"),
    });
  });

  it("releases email and name only for their scopes", () => {
    expect(idTokenClaims({ ...base, scope: "openid email" })).toMatchObject({
      email: "Ada@Example.com",
      email_verified: true,
    });
    expect(idTokenClaims({ ...base, scope: "openid profile" })).toMatchObject({
      name: "Ada Lovelace",
    });
    expect(idTokenClaims({ ...base, scope: "openid profile" })).not.toHaveProperty("email");
  });

  it("omits nonce when none was sent", () => {
    expect(idTokenClaims({ ...base, nonce: null, scope: "openid" })).not.toHaveProperty("nonce");
  });

  it("computes at_hash as the left half of SHA-256, base64url (OIDC Core §3.1.3.6)", () => {
    // 16 bytes → 22 base64url characters.
    expect(accessTokenHash("x")).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(accessTokenHash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y")).toBe(
      "77QmUPtjPfzWtF2AnpK9RQ",
    );
  });
});

describe("signing", () => {
  it("signs with the active RS256 key and verifies against the published JWKS", async () => {
    const key = await activeSigningKey();
    const now = new Date();
    const token = await signIdToken(
      idTokenClaims({
        user,
        clientId: "ghc_app",
        scope: "openid",
        nonce: null,
        authTime: now,
        accessToken: "a",
        issuedAt: now,
      }),
      key,
    );
    expect(decodeProtectedHeader(token)).toEqual({ alg: "RS256", kid: key.kid, typ: "JWT" });
    const { payload } = await jwtVerify(token, createLocalJWKSet(await publishedJwks()), {
      issuer: ISSUER,
      audience: "ghc_app",
    });
    expect(payload.sub).toBe("usr_ada");
  });

  it("types access tokens at+jwt so an ID token cannot pass as one", async () => {
    const key = await activeSigningKey();
    const claims = accessTokenClaims({
      userId: "usr_ada",
      clientId: "ghc_app",
      scope: "openid",
      jti: "at_x",
      issuedAt: new Date(),
    });
    const accessToken = await signAccessToken(claims, key);
    expect(decodeProtectedHeader(accessToken).typ).toBe("at+jwt");
    expect((await verifyAccessTokenJwt(accessToken)).jti).toBe("at_x");
    const idToken = await signIdToken({ ...claims, auth_time: claims.iat, at_hash: "x" }, key);
    await expect(verifyAccessTokenJwt(idToken)).rejects.toThrow();
  });
});
