import "server-only";
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { organizationDomains, organizations } from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { emitOrganizationDeleted, emitOrganizationUpdated } from "@/lib/webhooks/emit";
import { dispatchEvents } from "@/lib/webhooks/outbox";
import { getOrganization, type OrganizationWithDomains } from "./index";
import type { UpdateOrganizationInput } from "./schema";
import type { Scope } from "./scope";

/**
 * Changing and deleting organizations through the management API. An organization's key may
 * change its own organization; only operator-wide keys delete one (as only they create them),
 * and the operator organization itself is never deleted. Each change writes its
 * `organization.*` webhook in the same transaction.
 */
export async function updateScopedOrganization(
  scope: Scope,
  id: string,
  input: UpdateOrganizationInput,
): Promise<OrganizationWithDomains> {
  const { organization, updated } = await db.transaction(async (tx) => {
    const before = await getOrganization(scope, id, tx);
    if (input.domains) await replaceDomains(id, before.domains, input.domains, tx);
    await tx
      .update(organizations)
      .set({ name: input.name, updatedAt: new Date() })
      .where(eq(organizations.id, id));
    const after = await getOrganization(scope, id, tx);
    const domainsChanged =
      input.domains !== undefined &&
      [...before.domains].sort().join() !== [...after.domains].sort().join();
    const previous = {
      ...(input.name !== undefined && input.name !== before.name ? { name: before.name } : {}),
      ...(domainsChanged ? { domains: before.domains } : {}),
    };
    const updated =
      Object.keys(previous).length > 0
        ? await emitOrganizationUpdated(tx, { organization: after, previous })
        : undefined;
    return { organization: after, updated };
  });
  await dispatchEvents(updated);
  return organization;
}

/** Deletes the organization with its memberships, applications, keys and webhook endpoints. */
export async function deleteScopedOrganization(scope: Scope, id: string): Promise<void> {
  if (scope.kind !== "operator") {
    throw new ForbiddenError("Only operator-wide API keys can delete organizations");
  }
  const deleted = await db.transaction(async (tx) => {
    const organization = await getOrganization(scope, id, tx);
    if (organization.isOperator) {
      throw new ForbiddenError("The operator organization cannot be deleted");
    }
    // Emitted first; the organization's own endpoints go with it, operator endpoints remain.
    const emitted = await emitOrganizationDeleted(tx, organization);
    await tx.delete(organizations).where(eq(organizations.id, id));
    return emitted;
  });
  await dispatchEvents(deleted);
}

/** Domains are admin-asserted (hence verified), as at creation; each belongs to one org. */
async function replaceDomains(
  organizationId: string,
  current: string[],
  wanted: string[],
  tx: Executor,
): Promise<void> {
  const removed = current.filter((domain) => !wanted.includes(domain.toLowerCase()));
  const added = wanted.filter(
    (domain) => !current.some((existing) => existing.toLowerCase() === domain),
  );
  if (added.length > 0) {
    const [taken] = await tx
      .select({ domain: organizationDomains.domain })
      .from(organizationDomains)
      .where(
        and(
          inArray(sql`lower(${organizationDomains.domain})`, added),
          ne(organizationDomains.organizationId, organizationId),
        ),
      )
      .limit(1);
    if (taken) {
      throw new ConflictError(
        `Domain ${taken.domain} already belongs to an organization`,
        "domains",
      );
    }
  }
  if (removed.length > 0) {
    await tx
      .delete(organizationDomains)
      .where(
        and(
          eq(organizationDomains.organizationId, organizationId),
          inArray(organizationDomains.domain, removed),
        ),
      );
  }
  if (added.length > 0) {
    await tx.insert(organizationDomains).values(
      added.map((domain) => ({
        id: newId("dom"),
        organizationId,
        domain,
        verifiedAt: new Date(),
      })),
    );
  }
}
