import "server-only";
import { inArray, sql } from "drizzle-orm";
import type { MemberRole } from "@/constants/organizations";
import { authRequests, type Organization, organizations } from "@/db/schema";
import { findClientByClientId, insertClient } from "@/lib/clients";
import { hashPassword } from "@/lib/crypto";
import { type Executor, rowsOf } from "@/lib/db";
import { newIdSql } from "@/lib/ids";
import { addMembership, insertOrganization } from "@/lib/organizations";
import { findUserByEmail, insertUser } from "@/lib/users";
import { generateAuthLogs } from "./demo-auth-logs";
import {
  DEMO_CLIENTS,
  DEMO_LOG_CLIENT_IDS,
  DEMO_ORGANIZATIONS,
  DEMO_PASSWORD,
  DEMO_USERS,
  type DemoClient,
  type DemoOrganizationSlug,
} from "./demo-entities";

/**
 * Loads the demo tenants, people and applications (./demo-entities.ts). Idempotent: each entity
 * is looked up before it is created, and the month of auth-log history is written only while
 * the demo clients have none.
 */
const HISTORY_SIZE = 400;

export type DemoDataReport = {
  organizations: { name: string; domain: string }[];
  users: { email: string; name: string; organization: string; role: MemberRole }[];
  clients: DemoClient[];
  password: string;
  created: { organizations: number; users: number; clients: number; authLogs: number };
};

/** Creates whatever demo entity is missing and, once, a month of auth-log history. */
export async function loadDemoData(tx: Executor, now: Date = new Date()): Promise<DemoDataReport> {
  const created = { organizations: 0, users: 0, clients: 0, authLogs: 0 };
  const bySlug = await ensureDemoOrganizations(tx, created);
  for (const demo of DEMO_USERS) {
    const organizationId = (bySlug.get(demo.organization) as Organization).id;
    const existing = await findUserByEmail(demo.email, tx);
    if (existing) {
      await addMembership({ userId: existing.id, organizationId, role: demo.role }, tx);
      continue;
    }
    await insertUser(tx, { ...demo, password: DEMO_PASSWORD, organizationId });
    created.users++;
  }
  for (const demo of DEMO_CLIENTS) {
    if (await findClientByClientId(demo.clientId, tx)) continue;
    await insertClient(tx, {
      ...demo,
      redirectUris: [...demo.redirectUris],
      postLogoutRedirectUris: [...demo.postLogoutRedirectUris],
    });
    created.clients++;
  }
  if (!(await hasDemoHistory(tx))) {
    const generated = await generateAuthLogs(tx, { count: HISTORY_SIZE, openCount: 5, now });
    created.authLogs = generated.authLogs;
  }
  return {
    organizations: DEMO_ORGANIZATIONS.map(({ name, domain }) => ({ name, domain })),
    users: DEMO_USERS.map((user) => ({
      ...user,
      organization: (bySlug.get(user.organization) as Organization).name,
    })),
    clients: [...DEMO_CLIENTS],
    password: DEMO_PASSWORD,
    created,
  };
}

/** The demo organizations by slug, created when missing. */
export async function ensureDemoOrganizations(
  tx: Executor,
  created: { organizations: number } = { organizations: 0 },
): Promise<Map<DemoOrganizationSlug, Organization>> {
  const slugs = DEMO_ORGANIZATIONS.map((organization) => organization.slug);
  const found = await tx.select().from(organizations).where(inArray(organizations.slug, slugs));
  const bySlug = new Map(found.map((organization) => [organization.slug, organization]));
  for (const demo of DEMO_ORGANIZATIONS) {
    if (bySlug.has(demo.slug)) continue;
    const organization = await insertOrganization(tx, {
      name: demo.name,
      slug: demo.slug,
      domains: [demo.domain],
    });
    bySlug.set(demo.slug, organization);
    created.organizations++;
  }
  return bySlug as Map<DemoOrganizationSlug, Organization>;
}

const FIRST_NAMES = [
  "ava",
  "ben",
  "chloe",
  "dan",
  "emma",
  "finn",
  "grace",
  "henry",
  "isla",
  "jack",
  "kate",
  "leo",
  "mia",
  "noah",
  "olivia",
  "paul",
  "quinn",
  "ruby",
  "sam",
  "tara",
  "uma",
  "victor",
  "wendy",
  "yusuf",
];
const LAST_NAMES = [
  "adams",
  "brown",
  "clark",
  "davis",
  "evans",
  "fischer",
  "garcia",
  "hughes",
  "ito",
  "jones",
  "kim",
  "lopez",
  "martin",
  "nguyen",
  "okafor",
  "patel",
  "reyes",
  "smith",
  "taylor",
  "walker",
];

/**
 * Makes sure the demo organizations have `size` extra members (ava.adams@acme.test,
 * ben.adams@globex.test, …), so a large generated history spreads over many people the way a
 * real one does and email filters have something to find. Set-based like the history itself;
 * all share the demo password, hashed once. Returns how many were created.
 */
export async function ensureDemoPopulation(tx: Executor, size: number): Promise<number> {
  if (size <= 0) return 0;
  const bySlug = await ensureDemoOrganizations(tx);
  const acme = (bySlug.get("acme") as Organization).id;
  const globex = (bySlug.get("globex") as Organization).id;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const names = (list: string[]) =>
    sql`array[${sql.join(
      list.map((name) => sql`${name}`),
      sql`, `,
    )}]::text[]`;
  const result = await tx.execute(sql`
    with wanted as (
      select k,
        (${names(FIRST_NAMES)})[k % ${FIRST_NAMES.length} + 1] as first_name,
        (${names(LAST_NAMES)})[(k / ${FIRST_NAMES.length}) % ${LAST_NAMES.length} + 1] as last_name,
        k / ${FIRST_NAMES.length * LAST_NAMES.length} as round,
        case when k % 2 = 0 then ${acme} else ${globex} end as organization_id,
        case when k % 2 = 0 then 'acme.test' else 'globex.test' end as domain
      from generate_series(0, ${size - 1}) k
    ),
    people as (
      select *, first_name || '.' || last_name || case when round > 0 then round::text else '' end
        || '@' || domain as email
      from wanted
    ),
    inserted as (
      insert into users (id, email, name, password_hash, email_verified_at)
      select ${newIdSql("usr", sql`now()`)}, email,
        initcap(first_name) || ' ' || initcap(last_name), ${passwordHash}, now()
      from people
      on conflict do nothing
      returning id, email
    ),
    joined as (
      insert into memberships (user_id, organization_id, role)
      select inserted.id, people.organization_id, 'member'
      from inserted join people on people.email = inserted.email
      on conflict do nothing
      returning 1
    )
    select count(*) as created from joined
  `);
  const [row] = rowsOf<{ created: number | string }>(result);
  return Number(row?.created ?? 0);
}

async function hasDemoHistory(tx: Executor): Promise<boolean> {
  const [row] = await tx
    .select({ one: sql<number>`1` })
    .from(authRequests)
    .where(inArray(authRequests.clientId, DEMO_LOG_CLIENT_IDS))
    .limit(1);
  return row !== undefined;
}
