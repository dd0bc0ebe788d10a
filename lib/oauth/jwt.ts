import "server-only";
import { createHash } from "node:crypto";
import { compactVerify, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { User } from "@/db/schema";
import { env } from "@/lib/env";
import { epochSeconds } from "@/lib/time";
import { hasScope } from "./scopes";
import { type ActiveSigningKey, publishedVerificationKey, SIGNING_ALG } from "./signing-keys";

export const ACCESS_TOKEN_LIFETIME_S = 60 * 60;
export const ID_TOKEN_LIFETIME_S = 60 * 60;
// RFC 9068 §2.1: JWT access tokens carry this media type so they cannot pass as ID tokens.
const ACCESS_TOKEN_TYP = "at+jwt";

/** RFC 9068 §2.2 claims. Gatehouse's own userinfo endpoint is the resource, so aud = client_id. */
export type AccessTokenClaims = {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  scope: string;
  jti: string;
  iat: number;
  exp: number;
};

/** OIDC Core §2 and §5.1 claims; profile and email claims only when their scope was granted. */
export type IdTokenClaims = {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  auth_time: number;
  at_hash: string;
  nonce?: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
};

export function accessTokenClaims(input: {
  userId: string;
  clientId: string;
  scope: string;
  jti: string;
  issuedAt: Date;
}): AccessTokenClaims {
  const iat = epochSeconds(input.issuedAt);
  return {
    iss: env.issuer,
    sub: input.userId,
    aud: input.clientId,
    client_id: input.clientId,
    scope: input.scope,
    jti: input.jti,
    iat,
    exp: iat + ACCESS_TOKEN_LIFETIME_S,
  };
}

export function idTokenClaims(input: {
  user: User;
  clientId: string;
  scope: string;
  nonce: string | null | undefined;
  authTime: Date;
  accessToken: string;
  issuedAt: Date;
}): IdTokenClaims {
  const iat = epochSeconds(input.issuedAt);
  return {
    iss: env.issuer,
    sub: input.user.id,
    aud: input.clientId,
    iat,
    exp: iat + ID_TOKEN_LIFETIME_S,
    // Always sent: OIDC Core §3.1.2.1 requires it with max_age, and clients may check it anyway.
    auth_time: epochSeconds(input.authTime),
    at_hash: accessTokenHash(input.accessToken),
    ...(input.nonce ? { nonce: input.nonce } : {}),
    ...userClaims(input.user, input.scope),
  };
}

/** Claims about the user released by scope (OIDC Core §5.4), shared with userinfo. */
export function userClaims(
  user: User,
  scope: string,
): Pick<IdTokenClaims, "email" | "email_verified" | "name"> {
  return {
    ...(hasScope(scope, "email")
      ? { email: user.email, email_verified: user.emailVerifiedAt !== null }
      : {}),
    ...(hasScope(scope, "profile") && user.name ? { name: user.name } : {}),
  };
}

/** OIDC Core §3.1.3.6: base64url of the left half of SHA-256 of the access token (RS256). */
export function accessTokenHash(accessToken: string): string {
  const digest = createHash("sha256").update(accessToken, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

export function signAccessToken(claims: AccessTokenClaims, key: ActiveSigningKey) {
  return sign(claims, key, ACCESS_TOKEN_TYP);
}

export function signIdToken(claims: IdTokenClaims, key: ActiveSigningKey) {
  return sign(claims, key, "JWT");
}

/** Signature, issuer, type and lifetime of an access token; revocation is the caller's check. */
export async function verifyAccessTokenJwt(token: string): Promise<AccessTokenClaims> {
  const { payload } = await jwtVerify(token, publishedVerificationKey, {
    issuer: env.issuer,
    algorithms: [SIGNING_ALG],
    typ: ACCESS_TOKEN_TYP,
    requiredClaims: ["sub", "aud", "client_id", "scope", "jti", "iat", "exp"],
  });
  return payload as unknown as AccessTokenClaims;
}

/**
 * Signature and issuer only. Used for id_token_hint at logout, where OIDC RP-Initiated Logout §2
 * asks servers to accept an expired ID token, and for revocation of expired access tokens.
 */
export async function verifyOwnSignature(token: string): Promise<JWTPayload> {
  const { payload } = await compactVerify(token, publishedVerificationKey, {
    algorithms: [SIGNING_ALG],
  });
  const claims = JSON.parse(new TextDecoder().decode(payload)) as JWTPayload;
  if (claims.iss !== env.issuer) throw new Error("Token from another issuer");
  return claims;
}

async function sign(claims: object, key: ActiveSigningKey, typ: string): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ })
    .sign(key.privateKey);
}
