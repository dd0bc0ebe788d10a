import "server-only";
import { eq } from "drizzle-orm";
import { db, type Executor } from "@/db/client";
import { type ClientType, type OAuthClient, oauthClients } from "@/db/schema";
import { hashToken, safeEqual } from "@/lib/crypto";
import { newId, newSecret } from "@/lib/ids";

export type ClientInput = {
  name: string;
  type: ClientType;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  organizationId?: string | null;
  /** Fixed identifiers for clients Gatehouse registers itself (the dashboard). */
  clientId?: string;
  clientSecret?: string;
};

/** Registers an OAuth client. The plain secret is returned here once and never stored. */
export async function createClient(
  input: ClientInput,
  tx: Executor = db,
): Promise<{ client: OAuthClient; clientSecret: string | null }> {
  const clientSecret =
    input.type === "confidential" ? (input.clientSecret ?? `ghs_${newSecret()}`) : null;
  const [created] = await tx
    .insert(oauthClients)
    .values({
      id: newId("app"),
      clientId: input.clientId ?? `ghc_${newSecret(12)}`,
      name: input.name,
      type: input.type,
      secretHash: clientSecret ? hashToken(clientSecret) : null,
      redirectUris: input.redirectUris,
      postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
      organizationId: input.organizationId ?? null,
    })
    .returning();
  return { client: created as OAuthClient, clientSecret };
}

export async function findClientByClientId(
  clientId: string,
  tx: Executor = db,
): Promise<OAuthClient | undefined> {
  const [found] = await tx.select().from(oauthClients).where(eq(oauthClients.clientId, clientId));
  return found;
}

export function clientSecretMatches(client: OAuthClient, presented: string): boolean {
  return client.secretHash !== null && safeEqual(client.secretHash, hashToken(presented));
}

/** Exact string comparison, as OAuth 2.1 §2.3.1 requires: no prefix or pattern matching. */
export function isRegisteredRedirectUri(client: OAuthClient, redirectUri: string): boolean {
  return client.redirectUris.includes(redirectUri);
}
