import { count, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys, authRequestEvents, authRequests, memberships } from "@/db/schema";
import { authenticateApiKey, revokeApiKey } from "@/lib/api-keys";
import { hashToken, verifyPassword } from "@/lib/crypto";
import { db } from "@/lib/db";
import { findOperatorOrganization } from "@/lib/organizations";
import { findUserByEmail, setUserPassword } from "@/lib/users";
import { uniqueSuffix } from "@/tests/support/factories";
import { type BootstrapOptions, bootstrap, formatBanner } from ".";
import { planBatches } from "./demo-auth-logs";
import { DEMO_LOG_CLIENT_IDS, DEMO_PASSWORD, DEMO_USERS } from "./demo-entities";
import { parseSeedArgs, seed } from "./seed";

const banner = { issuer: "http://localhost:3000", database: "embedded PGlite", production: false };

function options(overrides: Partial<BootstrapOptions> = {}): BootstrapOptions {
  return {
    adminEmail: `admin-${uniqueSuffix()}@gatehouse.test`,
    adminPassword: "gatehouse-admin",
    adminPasswordIsDefault: true,
    apiKey: `gh_sk_bootstrap_${uniqueSuffix()}_${uniqueSuffix()}`,
    demoData: false,
    ...overrides,
  };
}

describe("bootstrap", () => {
  it("is idempotent: one operator organization, one administrator, one API key", async () => {
    const wanted = options();
    const first = await bootstrap(wanted);
    const second = await bootstrap(wanted);

    expect(first.operatorOrganization.isOperator).toBe(true);
    expect(second.operatorOrganization.id).toBe(first.operatorOrganization.id);
    expect((await findOperatorOrganization())?.id).toBe(first.operatorOrganization.id);
    expect(first.admin).toMatchObject({ configured: true, created: true });
    expect(second.admin).toMatchObject({ configured: true, created: false });
    expect(first.apiKey).toMatchObject({ created: true, revoked: false, operatorWide: true });
    expect(second.apiKey).toMatchObject({ created: false, revoked: false });

    const admin = await findUserByEmail(wanted.adminEmail as string);
    const roles = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(eq(memberships.userId, admin?.id as string));
    expect(roles).toEqual([{ role: "admin" }]);
    const [keys] = await db
      .select({ n: count() })
      .from(apiKeys)
      .where(eq(apiKeys.keyHash, hashToken(wanted.apiKey as string)));
    expect(keys?.n).toBe(1);

    expect(await authenticateApiKey(wanted.apiKey as string)).toMatchObject({
      organizationId: null,
      revokedAt: null,
    });
  });

  it("survives instances starting at the same moment", async () => {
    const wanted = options();
    const reports = await Promise.all([bootstrap(wanted), bootstrap(wanted), bootstrap(wanted)]);
    expect(new Set(reports.map((report) => report.operatorOrganization.id)).size).toBe(1);
    expect(
      reports.filter((report) => report.admin.configured && report.admin.created),
    ).toHaveLength(1);
    expect(reports.filter((report) => report.apiKey?.created)).toHaveLength(1);
  });

  it("keeps a password the administrator changed, and then stops printing the default", async () => {
    const wanted = options();
    const first = await bootstrap(wanted);
    expect(first.admin).toMatchObject({ defaultPassword: "gatehouse-admin" });
    expect(formatBanner(first, banner)).toContain("gatehouse-admin");

    const admin = await findUserByEmail(wanted.adminEmail as string);
    await setUserPassword(admin?.id as string, "a-password-of-my-own");
    const second = await bootstrap(wanted);
    const stored = await findUserByEmail(wanted.adminEmail as string);
    expect(await verifyPassword("a-password-of-my-own", stored?.passwordHash as string)).toBe(true);
    expect(second.admin).not.toHaveProperty("defaultPassword");
    expect(formatBanner(second, banner)).not.toContain("gatehouse-admin");
  });

  it("never prints a password the operator chose, and prints the key only outside production", async () => {
    const wanted = options({
      adminPassword: "operator-chosen-secret",
      adminPasswordIsDefault: false,
    });
    const report = await bootstrap(wanted);
    const text = formatBanner(report, banner);
    expect(text).toContain(wanted.adminEmail);
    expect(text).not.toContain("operator-chosen-secret");
    expect(text).toContain(wanted.apiKey);
    const production = formatBanner(report, { ...banner, production: true });
    expect(production).not.toContain(wanted.apiKey);
    expect(production).toContain((wanted.apiKey as string).slice(0, 10));
  });

  it("does not revive a revoked bootstrap key", async () => {
    const wanted = options();
    await bootstrap(wanted);
    const [row] = await db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(eq(apiKeys.keyHash, hashToken(wanted.apiKey as string)));
    await revokeApiKey(row?.id as string);
    const second = await bootstrap(wanted);
    expect(second.apiKey).toMatchObject({ created: false, revoked: true });
    expect(formatBanner(second, banner)).toContain("REVOKED");
    expect(await authenticateApiKey(wanted.apiKey as string)).toBeUndefined();
  });

  it("reports no administrator when none is configured", async () => {
    const report = await bootstrap(options({ adminEmail: undefined, adminPassword: undefined }));
    expect(report.admin).toEqual({ configured: false });
    expect(formatBanner(report, banner)).toContain("GATEHOUSE_ADMIN_EMAIL");
  });
});

// Demo data and the seed share fixed identifiers, so they run in this one file, in order.
describe("demo data and seed", () => {
  it("loads the demo data once, however often Gatehouse starts", async () => {
    const first = await bootstrap(options({ demoData: true }));
    const logsAfterFirst = await demoLogCount();
    const second = await bootstrap(options({ demoData: true }));

    expect(first.demo?.users.map((user) => user.email)).toEqual(
      DEMO_USERS.map((user) => user.email),
    );
    expect(second.demo?.created).toEqual({ organizations: 0, users: 0, clients: 0, authLogs: 0 });
    expect(await demoLogCount()).toBe(logsAfterFirst);
    expect(logsAfterFirst).toBeGreaterThanOrEqual(400);
    const alice = await findUserByEmail("alice@acme.test");
    expect(await verifyPassword(DEMO_PASSWORD, alice?.passwordHash as string)).toBe(true);

    const text = formatBanner(second, banner);
    for (const user of DEMO_USERS) expect(text).toContain(user.email);
    expect(text).toContain(DEMO_PASSWORD);
  });

  it("generates exactly --auth-logs N more attempts, with complete journeys", async () => {
    expect(parseSeedArgs(["--auth-logs", "1000"])).toEqual({ authLogs: 1000 });
    expect(parseSeedArgs(["--auth-logs=25"])).toEqual({ authLogs: 25 });
    expect(parseSeedArgs([])).toEqual({ authLogs: 0 });
    expect(() => parseSeedArgs(["--auth-logs", "many"])).toThrow(/whole number/);
    expect(() => parseSeedArgs(["--users", "3"])).toThrow(/Unknown argument/);

    // A month of its own, far in the past: on a shared PostgreSQL these rows are this run's alone.
    const now = new Date(
      Date.UTC(1975 + Math.floor(Math.random() * 30), 0, 1) + Math.random() * 3e10,
    );
    const from = new Date(now.getTime() - 31 * 86_400_000).toISOString();
    const window = sql`${authRequests.createdAt} between ${from}::timestamptz and ${now.toISOString()}::timestamptz
      and ${inArray(authRequests.clientId, DEMO_LOG_CLIENT_IDS)}`;
    const report = await seed({ authLogs: 1000, now }, () => {});
    expect(report.generated).toMatchObject({ authLogs: 1000 });

    const statuses = Object.fromEntries(
      (
        await db
          .select({ status: authRequests.status, n: count() })
          .from(authRequests)
          .where(window)
          .groupBy(authRequests.status)
      ).map((row) => [row.status, row.n]),
    );
    expect(Object.values(statuses).reduce((sum, n) => sum + n, 0)).toBe(1000);
    // Mostly successes, a realistic share of failures, ten still open.
    expect(statuses.success).toBeGreaterThan(650);
    expect(statuses.failure).toBeGreaterThan(100);
    expect((statuses.initiated ?? 0) + (statuses.pending ?? 0)).toBe(10);
    const [events] = await db
      .select({ n: count() })
      .from(authRequestEvents)
      .innerJoin(authRequests, eq(authRequests.id, authRequestEvents.authRequestId))
      .where(window);
    expect(events?.n).toBe(report.generated?.events);
    expect(report.generated?.events).toBeGreaterThan(3000);

    // Every journey starts with authorize_received and ends where its request stands.
    const journeys = await db.execute(sql`
      select auth_requests.status, auth_requests.completed_at is not null as completed,
        (array_agg(e.type order by e.seq))[1] as first_type,
        (array_agg(e.status order by e.seq) filter (where e.status is not null))[
          count(e.status)] as last_status,
        bool_and(e.created_at >= auth_requests.created_at) as after_start,
        bool_and(e.detail <> '{}'::jsonb) as detailed
      from auth_requests
      join auth_request_events e on e.auth_request_id = auth_requests.id
      where ${window}
      group by auth_requests.id
    `);
    const rows = (Array.isArray(journeys) ? journeys : (journeys as { rows: unknown[] }).rows) as {
      status: string;
      completed: boolean;
      first_type: string;
      last_status: string;
      after_start: boolean;
      detailed: boolean;
    }[];
    expect(rows.length).toBe(1000);
    for (const journey of rows) {
      expect(journey.first_type).toBe("authorize_received");
      expect(journey.last_status).toBe(journey.status);
      expect(journey.completed).toBe(journey.status === "success" || journey.status === "failure");
      expect(journey.after_start).toBe(true);
      expect(journey.detailed).toBe(true);
    }

    // Seeding again leaves the fixed demo entities alone.
    const again = await seed({ authLogs: 0 }, () => {});
    expect(again.demo.created).toEqual({ organizations: 0, users: 0, clients: 0, authLogs: 0 });
    expect(again.generated).toBeNull();
  });

  it("spreads history over working hours and ends before the abandoned-request sweep", () => {
    const now = new Date("2025-03-15T12:00:00Z");
    const batches = planBatches({ count: 10_000, openCount: 10, now, batchSize: 2_000 });
    const cells = batches.flat();
    expect(cells.reduce((sum, cell) => sum + cell.n, 0)).toBe(10_000);
    expect(cells.filter((cell) => cell.open).map((cell) => cell.n)).toEqual([10]);
    const closed = cells.filter((cell) => !cell.open);
    const lastEnd = Math.max(...closed.map((cell) => Date.parse(cell.start) + cell.seconds * 1000));
    expect(lastEnd).toBeLessThanOrEqual(now.getTime() - 16 * 60_000);
    const at = (hour: number) =>
      closed
        .filter((cell) => new Date(cell.start).getUTCHours() === hour)
        .reduce((sum, cell) => sum + cell.n, 0);
    expect(at(10)).toBeGreaterThan(at(3) * 3);
    // Oldest first, so the writes append at the end of every time-ordered index.
    const starts = closed.map((cell) => Date.parse(cell.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });
});

async function demoLogCount(): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(authRequests)
    .where(inArray(authRequests.clientId, DEMO_LOG_CLIENT_IDS));
  return row?.n ?? 0;
}
