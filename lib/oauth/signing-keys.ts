import "server-only";
import { and, desc, eq, gt, or, sql } from "drizzle-orm";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { type SigningKey, signingKeys } from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import { addMs } from "@/lib/time";

/**
 * Token signing keys. OIDC Core §15.1 makes RS256 mandatory to implement, so it is the only
 * algorithm. Exactly one key is active; a rotated key stays published as retired for a week so
 * tokens signed before the rotation still verify at relying parties.
 */
export const SIGNING_ALG = "RS256";
export const RETIRED_KEY_PUBLISHED_MS = 7 * 24 * 60 * 60 * 1000;

// Another instance may rotate: re-read the active key at most this long after loading it.
const CACHE_TTL_MS = 60_000;
// Serialises key creation across instances; migrations use 727_001.
const SIGNING_KEY_LOCK = 727_002;

export type ActiveSigningKey = { kid: string; privateKey: CryptoKey };
export type Jwks = { keys: JWK[] };

let activeCache: { key: ActiveSigningKey; loadedAt: number } | undefined;
let publishedCache: { keys: Map<string, CryptoKey>; jwks: Jwks; loadedAt: number } | undefined;

/** The key new tokens are signed with, created on first need. */
export async function activeSigningKey(now: Date = new Date()): Promise<ActiveSigningKey> {
  if (activeCache && now.getTime() - activeCache.loadedAt < CACHE_TTL_MS) return activeCache.key;
  const row = (await findActiveKey(db)) ?? (await ensureActiveSigningKey());
  const key = { kid: row.kid, privateKey: await importPrivateKey(row) };
  activeCache = { key, loadedAt: now.getTime() };
  return key;
}

/**
 * Returns the active key, creating one if there is none. Two instances starting at once would
 * both see "no key"; the transaction-scoped advisory lock makes the second wait and then find
 * the first one's key instead of inserting its own.
 */
export async function ensureActiveSigningKey(): Promise<SigningKey> {
  return db.transaction(async (tx) => {
    await lockSigningKeys(tx);
    return (await findActiveKey(tx)) ?? (await insertActiveKey(tx));
  });
}

/** Makes a new active key; the previous one stays published, retired, for 7 days. */
export async function rotateSigningKey(
  now: Date = new Date(),
): Promise<{ kid: string; retiredKid: string | undefined }> {
  const result = await db.transaction(async (tx) => {
    await lockSigningKeys(tx);
    const [retired] = await tx
      .update(signingKeys)
      .set({
        status: "retired",
        retiredAt: now,
        unpublishAt: addMs(now, RETIRED_KEY_PUBLISHED_MS),
      })
      .where(eq(signingKeys.status, "active"))
      .returning({ kid: signingKeys.kid });
    const created = await insertActiveKey(tx);
    return { kid: created.kid, retiredKid: retired?.kid };
  });
  forgetCachedKeys();
  return result;
}

/** The JWK Set of every published key: the active one and retired ones not yet unpublished. */
export async function publishedJwks(now: Date = new Date()): Promise<Jwks> {
  return (await loadPublishedKeys(now)).jwks;
}

/**
 * Key resolver for jose's verify functions: finds the published key named by the token's `kid`,
 * reloading once on a miss because another instance may have rotated since the last load.
 */
export async function publishedVerificationKey(header: {
  alg?: string;
  kid?: string;
}): Promise<CryptoKey> {
  if (header.alg !== SIGNING_ALG || !header.kid) throw new Error("Unexpected token header");
  const cached = publishedCache?.keys.get(header.kid);
  if (cached && Date.now() - (publishedCache?.loadedAt ?? 0) < CACHE_TTL_MS) return cached;
  const reloaded = await loadPublishedKeys(new Date(), { force: true });
  const key = reloaded.keys.get(header.kid);
  if (!key) throw new Error(`No published signing key ${header.kid}`);
  return key;
}

/** Drops this process's caches (after a rotation, and between tests). */
export function forgetCachedKeys(): void {
  activeCache = undefined;
  publishedCache = undefined;
}

async function loadPublishedKeys(now: Date, options: { force?: boolean } = {}) {
  if (!options.force && publishedCache && now.getTime() - publishedCache.loadedAt < CACHE_TTL_MS) {
    return publishedCache;
  }
  let rows = await findPublishedKeys(now);
  if (rows.length === 0) rows = [await ensureActiveSigningKey()];
  const keys = new Map<string, CryptoKey>();
  for (const row of rows) {
    keys.set(row.kid, (await importJWK(row.publicJwk as JWK, SIGNING_ALG)) as CryptoKey);
  }
  publishedCache = {
    keys,
    jwks: { keys: rows.map((row) => row.publicJwk as JWK) },
    loadedAt: now.getTime(),
  };
  return publishedCache;
}

async function findActiveKey(tx: Executor): Promise<SigningKey | undefined> {
  const [row] = await tx
    .select()
    .from(signingKeys)
    .where(eq(signingKeys.status, "active"))
    .orderBy(desc(signingKeys.createdAt))
    .limit(1);
  return row;
}

function findPublishedKeys(now: Date): Promise<SigningKey[]> {
  return db
    .select()
    .from(signingKeys)
    .where(
      or(
        eq(signingKeys.status, "active"),
        and(eq(signingKeys.status, "retired"), gt(signingKeys.unpublishAt, now)),
      ),
    )
    .orderBy(desc(signingKeys.createdAt));
}

async function insertActiveKey(tx: Executor): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, {
    modulusLength: 2048,
    extractable: true,
  });
  const publicJwk = await exportJWK(publicKey);
  // RFC 7638 thumbprint as kid: stable, derived from the key, unique without coordination.
  const kid = await calculateJwkThumbprint(publicJwk);
  const [created] = await tx
    .insert(signingKeys)
    .values({
      kid,
      alg: SIGNING_ALG,
      status: "active",
      publicJwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: "sig" },
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG },
    })
    .returning();
  return created as SigningKey;
}

async function lockSigningKeys(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${SIGNING_KEY_LOCK})`);
}

async function importPrivateKey(row: SigningKey): Promise<CryptoKey> {
  return (await importJWK(row.privateJwk as JWK, SIGNING_ALG)) as CryptoKey;
}
