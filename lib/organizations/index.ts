import "server-only";
import { and, asc, eq, inArray, isNotNull, ne, type Placeholder, sql } from "drizzle-orm";
import type { MemberRole } from "@/constants/organizations";
import { memberships, type Organization, organizationDomains, organizations } from "@/db/schema";
import { constraintViolation, UNIQUE_VIOLATION } from "@/lib/database-errors";
import { db, type Executor, preparedStatement } from "@/lib/db";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { newestFirstPage, type Page, type PageRequest } from "@/lib/pagination";
import {
  emitOrganizationCreated,
  emitOrganizationDeleted,
  emitOrganizationUpdated,
} from "@/lib/webhooks/emit";
import { dispatchEvents } from "@/lib/webhooks/outbox";
import type { CreateOrganizationInput, UpdateOrganizationInput } from "./schema";
import { canSeeOrganization, type Scope } from "./scope";

export type OrganizationInput = {
  name: string;
  slug?: string;
  domains?: string[];
  isOperator?: boolean;
};

export type OrganizationWithDomains = Organization & { domains: string[] };

/**
 * Inserts an organization with its (admin-asserted, hence verified) email domains, for no caller
 * in particular: Gatehouse's own start-up and demo data, and createOrganization, which decides
 * whether its caller may. Runs in the caller's transaction; emits nothing.
 */
export async function insertOrganization(
  tx: Executor,
  input: OrganizationInput,
): Promise<OrganizationWithDomains> {
  const id = newId("org");
  const slug = input.slug ?? (await uniqueSlug(slugify(input.name), tx));
  const domains = [...new Set((input.domains ?? []).map(normalizeDomain))];
  await assertDomainsFree(domains, tx);
  const [created] = await tx
    .insert(organizations)
    .values({ id, name: input.name, slug, isOperator: input.isOperator ?? false })
    .returning();
  if (domains.length > 0) {
    await tx.insert(organizationDomains).values(
      domains.map((domain) => ({
        id: newId("dom"),
        organizationId: id,
        domain,
        verifiedAt: new Date(),
      })),
    );
  }
  return { ...(created as Organization), domains };
}

/**
 * Creates an organization for an API key or dashboard user, with its `organization.created`
 * webhook. Only operator-wide callers create tenants; an organization's own key cannot mint
 * siblings.
 */
export async function createOrganization(
  scope: Scope,
  input: CreateOrganizationInput,
): Promise<OrganizationWithDomains> {
  if (scope.kind !== "operator") {
    throw new ForbiddenError("Only operator-wide API keys can create organizations");
  }
  // Two organizations with the same name created at once compute the same slug; the loser of
  // that unique-index race retries with the next free slug instead of failing the request.
  for (let attempt = 1; ; attempt++) {
    try {
      const { organization, created } = await db.transaction(async (tx) => {
        const organization = await insertOrganization(tx, input);
        return { organization, created: await emitOrganizationCreated(tx, organization) };
      });
      await dispatchEvents(created);
      return organization;
    } catch (error) {
      if (attempt >= 3 || !isSlugTaken(error)) throw error;
    }
  }
}

/**
 * Changing and deleting organizations through the management API. An organization's key may
 * change its own organization; only operator-wide keys delete one (as only they create them),
 * and the operator organization itself is never deleted. Each change writes its
 * `organization.*` webhook in the same transaction.
 */
export async function updateOrganization(
  scope: Scope,
  id: string,
  input: UpdateOrganizationInput,
): Promise<OrganizationWithDomains> {
  const { organization, updated } = await db.transaction(async (tx) => {
    // Locked, so that concurrent changes each report what they changed from.
    const before = await getOrganization(scope, id, tx, { lock: "update" });
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
export async function deleteOrganization(scope: Scope, id: string): Promise<void> {
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

/** Organizations visible in `scope`, newest first, each with its domains. */
export async function listOrganizations(
  scope: Scope,
  page: PageRequest,
  tx: Executor = db,
): Promise<Page<OrganizationWithDomains>> {
  const inScope =
    scope.kind === "organization" ? eq(organizations.id, scope.organizationId) : undefined;
  const { data, nextCursor } = await newestFirstPage(tx, organizations, inScope, page);
  const domains = await domainsByOrganization(
    data.map((organization) => organization.id),
    tx,
  );
  return {
    data: data.map((organization) => ({
      ...organization,
      domains: domains.get(organization.id) ?? [],
    })),
    nextCursor,
  };
}

/** One organization with its domains; NotFoundError when missing or outside `scope`. */
export async function getOrganization(
  scope: Scope,
  id: string,
  tx: Executor = db,
  options: { lock?: "update" | "share" } = {},
): Promise<OrganizationWithDomains> {
  const organization = canSeeOrganization(scope, id)
    ? await findOrganization(id, tx, options)
    : undefined;
  if (!organization) throw new NotFoundError("Organization");
  return { ...organization, domains: await listDomains(id, tx) };
}

export async function findOrganization(
  id: string,
  tx: Executor = db,
  options: { lock?: "update" | "share" } = {},
): Promise<Organization | undefined> {
  const query = tx.select().from(organizations).where(eq(organizations.id, id));
  const [found] = options.lock ? await query.for(options.lock) : await query;
  return found;
}

/**
 * The organization a resource that a caller creates (or moves) belongs to: an
 * organization-scoped caller's own, the only one it may name; for operators, the one they name,
 * or none (null) for an operator-level resource, which `operatorLevel` names in the refusal
 * ("operator endpoints"). An organization the caller cannot see answers as not existing.
 */
export async function owningOrganization(
  scope: Scope,
  requested: string | null | undefined,
  operatorLevel: string,
  tx: Executor = db,
): Promise<string | null> {
  if (scope.kind === "organization") {
    if (requested === undefined || requested === scope.organizationId) return scope.organizationId;
    throw new ValidationError({
      organization_id:
        requested === null
          ? `must be your organization: ${operatorLevel} are managed by the operator`
          : "does not exist",
    });
  }
  if (!requested) return null;
  if (!(await findOrganization(requested, tx, { lock: "share" }))) {
    throw new ValidationError({ organization_id: "does not exist" });
  }
  return requested;
}

export async function findOperatorOrganization(
  tx: Executor = db,
): Promise<Organization | undefined> {
  const [found] = await tx.select().from(organizations).where(eq(organizations.isOperator, true));
  return found;
}

/** Home realm discovery: the organization that owns the verified domain of this email. */
export async function findOrganizationByEmailDomain(
  email: string,
  tx: Executor = db,
): Promise<Organization | undefined> {
  const domain = email.split("@").at(-1);
  if (!domain) return undefined;
  const [found] = await tx
    .select({ organization: organizations })
    .from(organizationDomains)
    .innerJoin(organizations, eq(organizations.id, organizationDomains.organizationId))
    .where(
      and(
        sql`lower(${organizationDomains.domain}) = ${normalizeDomain(domain)}`,
        isNotNull(organizationDomains.verifiedAt),
      ),
    );
  return found?.organization;
}

export async function listDomains(organizationId: string, tx: Executor = db): Promise<string[]> {
  const rows = await tx
    .select({ domain: organizationDomains.domain })
    .from(organizationDomains)
    .where(eq(organizationDomains.organizationId, organizationId));
  return rows.map((row) => row.domain);
}

export async function addMembership(
  input: { userId: string; organizationId: string; role: MemberRole },
  tx: Executor = db,
): Promise<void> {
  await tx
    .insert(memberships)
    .values(input)
    .onConflictDoUpdate({
      target: [memberships.userId, memberships.organizationId],
      set: { role: input.role },
    });
}

export async function listMemberships(userId: string, tx: Executor = db) {
  if (tx === db) return membershipsOfUser().execute({ userId });
  return membershipsQuery(tx, userId);
}

function membershipsQuery(executor: Executor, userId: string | Placeholder<"userId">) {
  return executor
    .select({
      organizationId: memberships.organizationId,
      role: memberships.role,
      organizationName: organizations.name,
      isOperator: organizations.isOperator,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId));
}

// Every dashboard request reads the viewer's memberships before anything else, so the
// statement is built once rather than per request (drizzle's builder costs more than the
// lookup's round trip).
const membershipsOfUser = preparedStatement("memberships_of_user", (database) =>
  membershipsQuery(database, sql.placeholder("userId")),
);

/** Memberships of several users at once (list pages), limited to organizations in `scope`. */
export async function listMembershipsOfUsers(scope: Scope, userIds: string[], tx: Executor = db) {
  if (userIds.length === 0) return [];
  return tx
    .select({
      userId: memberships.userId,
      organizationId: memberships.organizationId,
      role: memberships.role,
      organizationName: organizations.name,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(
      and(
        inArray(memberships.userId, userIds),
        scope.kind === "organization"
          ? eq(memberships.organizationId, scope.organizationId)
          : undefined,
      ),
    )
    .orderBy(asc(memberships.createdAt), asc(memberships.organizationId));
}

export function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, "");
}

function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
  return slug || "org";
}

async function uniqueSlug(base: string, tx: Executor): Promise<string> {
  const taken = await tx
    .select({ slug: organizations.slug })
    .from(organizations)
    .where(sql`${organizations.slug} = ${base} or ${organizations.slug} like ${`${base}-%`}`);
  const used = new Set(taken.map((row) => row.slug));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

async function assertDomainsFree(domains: string[], tx: Executor): Promise<void> {
  if (domains.length === 0) return;
  const taken = await tx
    .select({ domain: organizationDomains.domain })
    .from(organizationDomains)
    .where(
      sql`lower(${organizationDomains.domain}) in (${sql.join(
        domains.map((domain) => sql`${domain}`),
        sql`, `,
      )})`,
    );
  if (taken.length > 0) {
    throw new ConflictError(
      `Domain ${taken[0]?.domain} already belongs to an organization`,
      "domains",
    );
  }
}

async function domainsByOrganization(
  organizationIds: string[],
  tx: Executor,
): Promise<Map<string, string[]>> {
  const byOrganization = new Map<string, string[]>();
  if (organizationIds.length === 0) return byOrganization;
  const rows = await tx
    .select({
      organizationId: organizationDomains.organizationId,
      domain: organizationDomains.domain,
    })
    .from(organizationDomains)
    .where(inArray(organizationDomains.organizationId, organizationIds))
    .orderBy(asc(organizationDomains.domain));
  for (const row of rows) {
    byOrganization.set(row.organizationId, [
      ...(byOrganization.get(row.organizationId) ?? []),
      row.domain,
    ]);
  }
  return byOrganization;
}

function isSlugTaken(error: unknown): boolean {
  const violation = constraintViolation(error);
  return violation?.code === UNIQUE_VIOLATION && violation.constraint === "organizations_slug_key";
}
