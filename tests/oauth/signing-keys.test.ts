import { eq } from "drizzle-orm";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { GET as jwksRoute } from "@/app/oauth/jwks/route";
import { signingKeys } from "@/db/schema";
import { db } from "@/lib/db";
import {
  ensureActiveSigningKey,
  forgetCachedKeys,
  publishedJwks,
  RETIRED_KEY_PUBLISHED_MS,
  rotateSigningKey,
} from "@/lib/oauth/signing-keys";
import { codeFor, exchangeCode, ISSUER, registerClient } from "./support";

async function activeKeys() {
  return db.select().from(signingKeys).where(eq(signingKeys.status, "active"));
}

async function freshTokens() {
  const client = await registerClient();
  const flow = await codeFor(client);
  const exchange = await exchangeCode(client, flow.code, flow.verifier);
  expect(exchange.status).toBe(200);
  return { client, tokens: exchange.body };
}

describe("signing keys", () => {
  // First in this file: on PGlite the table is still empty, so this is the bootstrap race.
  it("creates a single active key when many callers need one at once", async () => {
    const keys = await Promise.all(Array.from({ length: 5 }, () => ensureActiveSigningKey()));
    expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
    expect(await activeKeys()).toHaveLength(1);
  });

  it("publishes RS256 public keys only", async () => {
    const response = await jwksRoute();
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    const { keys } = await response.json();
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
      expect(key.kid).toBeTruthy();
      expect(key).not.toHaveProperty("d");
      expect(key).not.toHaveProperty("p");
    }
  });

  it("rotates: new tokens use the new key, tokens signed before still verify", async () => {
    const before = await freshTokens();
    const oldKid = decodeProtectedHeader(before.tokens.id_token).kid;
    const { kid, retiredKid } = await rotateSigningKey();
    expect(retiredKid).toBeDefined();

    const [retired] = await db
      .select()
      .from(signingKeys)
      .where(eq(signingKeys.kid, oldKid ?? ""));
    expect(retired?.status).toBe("retired");
    const publishedFor =
      (retired?.unpublishAt?.getTime() ?? 0) - (retired?.retiredAt?.getTime() ?? 0);
    expect(publishedFor).toBe(RETIRED_KEY_PUBLISHED_MS);

    const after = await freshTokens();
    expect(decodeProtectedHeader(after.tokens.id_token).kid).toBe(kid);

    const keys = createLocalJWKSet(await publishedJwks());
    await jwtVerify(before.tokens.id_token, keys, { issuer: ISSUER });
    await jwtVerify(after.tokens.id_token, keys, { issuer: ISSUER });
  });

  it("keeps exactly one active key when rotations race", async () => {
    await Promise.all([rotateSigningKey(), rotateSigningKey(), rotateSigningKey()]);
    expect(await activeKeys()).toHaveLength(1);
  });

  it("stops publishing a retired key after its week", async () => {
    const { retiredKid } = await rotateSigningKey();
    await db
      .update(signingKeys)
      .set({ unpublishAt: new Date(Date.now() - 1000) })
      .where(eq(signingKeys.kid, retiredKid ?? ""));
    forgetCachedKeys();
    const { keys } = await publishedJwks();
    expect(keys.map((key) => key.kid)).not.toContain(retiredKid);
  });
});
