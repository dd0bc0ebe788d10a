import "server-only";
import { and, eq } from "drizzle-orm";
import type { ClientType } from "@/constants/clients";
import { type OAuthClient, oauthClients } from "@/db/schema";
import { hashToken, safeEqual } from "@/lib/crypto";
import { db, type Executor } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { newId, newSecret } from "@/lib/ids";
import { findOrganization } from "@/lib/organizations";
import { canSeeOrganization, type Scope } from "@/lib/organizations/scope";
import { newestFirstPage, type Page, type PageRequest } from "@/lib/pagination";
import type { CreateClientInput } from "./schema";

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

/**
 * Inserts an OAuth client for no caller in particular: Gatehouse's own clients (the dashboard),
 * demo data, and createClient, which decides whether its caller may. The plain secret is
 * returned here once and never stored.
 */
export async function insertClient(
  tx: Executor,
  input: ClientInput,
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

/**
 * Registers a client for an API key or dashboard admin. An organization-scoped caller's clients
 * belong to its organization; an organization outside the scope is reported as unknown.
 */
export async function createClient(
  scope: Scope,
  input: CreateClientInput,
): Promise<{ client: OAuthClient; clientSecret: string | null }> {
  const organizationId =
    input.organizationId ?? (scope.kind === "organization" ? scope.organizationId : null);
  return db.transaction(async (tx) => {
    if (organizationId) {
      const visible =
        canSeeOrganization(scope, organizationId) &&
        (await findOrganization(organizationId, tx, { lock: "share" }));
      if (!visible) throw new ValidationError({ organization_id: "does not exist" });
    }
    return insertClient(tx, { ...input, organizationId });
  });
}

/** Clients visible in `scope`, newest first. Operator-level clients are the operator's alone. */
export async function listClients(
  scope: Scope,
  page: PageRequest,
  tx: Executor = db,
): Promise<Page<OAuthClient>> {
  return newestFirstPage(tx, oauthClients, clientInScope(scope), page);
}

/** A client by its public client_id; NotFoundError when missing or outside `scope`. */
export async function getClient(
  scope: Scope,
  clientId: string,
  tx: Executor = db,
): Promise<OAuthClient> {
  const [client] = await tx
    .select()
    .from(oauthClients)
    .where(and(eq(oauthClients.clientId, clientId), clientInScope(scope)));
  if (!client) throw new NotFoundError("Client");
  return client;
}

function clientInScope(scope: Scope) {
  return scope.kind === "organization"
    ? eq(oauthClients.organizationId, scope.organizationId)
    : undefined;
}
