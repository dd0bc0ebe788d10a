import "server-only";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/client";
import {
  type MemberRole,
  memberships,
  type Organization,
  organizationDomains,
  organizations,
} from "@/db/schema";
import { ConflictError } from "@/lib/errors";
import { newId } from "@/lib/ids";

export type OrganizationInput = {
  name: string;
  slug?: string;
  domains?: string[];
  isOperator?: boolean;
};

export type OrganizationWithDomains = Organization & { domains: string[] };

/** Creates an organization with its (admin-asserted, hence verified) email domains. */
export async function createOrganization(
  input: OrganizationInput,
  tx: Executor = db,
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

export async function findOrganization(
  id: string,
  tx: Executor = db,
): Promise<Organization | undefined> {
  const [found] = await tx.select().from(organizations).where(eq(organizations.id, id));
  return found;
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
  return tx
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
