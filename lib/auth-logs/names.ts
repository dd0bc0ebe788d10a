import "server-only";
import { asc, eq, inArray } from "drizzle-orm";
import { oauthClients, organizations, users } from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import type { Scope } from "@/lib/organizations/scope";

/**
 * Display names for what auth log entries refer to by id. Called with the ids of entries that
 * were already read within the caller's scope, so they never reveal another tenant's names.
 */
export type EntryNames = {
  organizations: Map<string, string>;
  /** By the public client_id, as entries store it. */
  clients: Map<string, string>;
};

export async function namesForEntries(
  entries: { organizationId: string | null; clientId: string | null }[],
  tx: Executor = db,
): Promise<EntryNames> {
  const organizationIds = distinct(entries.map((entry) => entry.organizationId));
  const clientIds = distinct(entries.map((entry) => entry.clientId));
  const [organizationRows, clientRows] = await Promise.all([
    organizationIds.length
      ? tx
          .select({ id: organizations.id, name: organizations.name })
          .from(organizations)
          .where(inArray(organizations.id, organizationIds))
      : [],
    clientIds.length
      ? tx
          .select({ clientId: oauthClients.clientId, name: oauthClients.name })
          .from(oauthClients)
          .where(inArray(oauthClients.clientId, clientIds))
      : [],
  ]);
  return {
    organizations: new Map(organizationRows.map((row) => [row.id, row.name])),
    clients: new Map(clientRows.map((row) => [row.clientId, row.name])),
  };
}

export type OrganizationOption = { id: string; name: string };

/** Pickers list at most this many organizations, by name. */
export const ORGANIZATION_OPTIONS_LIMIT = 500;

/** The organizations the organization filter offers: all for operators, one's own otherwise. */
export async function listOrganizationOptions(
  scope: Scope,
  tx: Executor = db,
): Promise<OrganizationOption[]> {
  const query = tx
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .$dynamic();
  if (scope.kind === "organization") query.where(eq(organizations.id, scope.organizationId));
  return query
    .orderBy(asc(organizations.name), asc(organizations.id))
    .limit(ORGANIZATION_OPTIONS_LIMIT);
}

export async function findUserName(userId: string, tx: Executor = db): Promise<string | null> {
  const [user] = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return user?.name ?? null;
}

function distinct(values: (string | null)[]): string[] {
  return [...new Set(values.filter((value): value is string => Boolean(value)))];
}
