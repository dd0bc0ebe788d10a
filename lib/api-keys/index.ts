import "server-only";
import { and, eq, isNull, lt, or, type Placeholder, sql } from "drizzle-orm";
import { type ApiKey, apiKeys } from "@/db/schema";
import { hashToken } from "@/lib/crypto";
import { db, type Executor, preparedStatement } from "@/lib/db";
import { newId, newSecret } from "@/lib/ids";
import { operatorScope, organizationScope, type Scope } from "@/lib/organizations/scope";

/**
 * Management API keys. Only the sha256 of a key is stored (keys are 256-bit random, so a fast
 * hash is enough to make a leaked table useless), plus a short prefix so people can tell keys
 * apart in a list. A key without an organization is operator-wide.
 */
export const API_KEY_PREFIX = "gh_sk_";

// Writing last_used_at on every call would turn each API read into a write; once a minute is
// precise enough to answer "is this key still used?".
const LAST_USED_RESOLUTION_MS = 60_000;

export type ApiKeyInput = { name: string; organizationId?: string | null };

/** Creates a key; the plain value is returned here once and never stored. */
export async function createApiKey(
  input: ApiKeyInput,
  tx: Executor = db,
): Promise<{ apiKey: ApiKey; key: string }> {
  const key = `${API_KEY_PREFIX}${newSecret()}`;
  const [apiKey] = await tx.insert(apiKeys).values(keyRow(input, key)).returning();
  return { apiKey: apiKey as ApiKey, key };
}

/**
 * Makes sure a key with exactly this value exists (the bootstrap key from the environment).
 * Safe when several instances start at once: the unique hash index settles the race. A key
 * that was revoked stays revoked — reviving a leaked key at the next restart would undo the
 * revocation — and the caller is told so.
 */
export async function ensureApiKey(
  input: ApiKeyInput & { key: string },
  tx: Executor = db,
): Promise<{ apiKey: ApiKey; created: boolean }> {
  const [inserted] = await tx
    .insert(apiKeys)
    .values(keyRow(input, input.key))
    .onConflictDoNothing({ target: apiKeys.keyHash })
    .returning();
  if (inserted) return { apiKey: inserted, created: true };
  const existing = await findApiKeyByValue(input.key, tx);
  if (!existing) throw new Error("API key vanished while it was being ensured");
  return { apiKey: existing, created: false };
}

/** The live (not revoked) key with this value, recording that it was used. */
export async function authenticateApiKey(
  presented: string,
  now: Date = new Date(),
): Promise<ApiKey | undefined> {
  const [apiKey] = await apiKeyByHash().execute({ keyHash: hashToken(presented) });
  if (!apiKey || apiKey.revokedAt) return undefined;
  if (!usedLongerAgoThan(apiKey, now, LAST_USED_RESOLUTION_MS)) return apiKey;
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.id, apiKey.id),
        or(
          isNull(apiKeys.lastUsedAt),
          lt(apiKeys.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)),
        ),
      ),
    );
  return apiKey;
}

export async function revokeApiKey(id: string, tx: Executor = db): Promise<void> {
  await tx
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
}

export function scopeOfApiKey(apiKey: ApiKey): Scope {
  return apiKey.organizationId ? organizationScope(apiKey.organizationId) : operatorScope;
}

function apiKeyQuery(executor: Executor, keyHash: string | Placeholder<"keyHash">) {
  return executor.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash));
}

// Every API request looks its key up first, so the statement is built once rather than per
// request (drizzle's builder costs more than the lookup's round trip).
const apiKeyByHash = preparedStatement("api_key_by_hash", (database) =>
  apiKeyQuery(database, sql.placeholder("keyHash")),
);

// The row just read says whether the write would change anything; most calls skip it. The
// write keeps its own condition for callers racing past this check together.
function usedLongerAgoThan(apiKey: ApiKey, now: Date, ms: number): boolean {
  return !apiKey.lastUsedAt || apiKey.lastUsedAt.getTime() < now.getTime() - ms;
}

async function findApiKeyByValue(key: string, tx: Executor = db): Promise<ApiKey | undefined> {
  const [found] = await apiKeyQuery(tx, hashToken(key));
  return found;
}

function keyRow(input: ApiKeyInput, key: string) {
  return {
    id: newId("ak"),
    name: input.name,
    keyHash: hashToken(key),
    prefix: displayPrefix(key),
    organizationId: input.organizationId ?? null,
  };
}

// gh_sk_ plus four characters: enough to tell keys apart, far too little to guess the rest.
function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 4);
}
