import { describe, expect, it } from "vitest";
import type { AuthStatus } from "@/constants/auth-logs";
import { authRequestEvents, authRequests } from "@/db/schema";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { operatorScope, organizationScope, type Scope } from "@/lib/organizations/scope";
import { createTestOrganization, uniqueSuffix } from "@/tests/support/factories";
import { explainFailure, getAuthLogDetail } from "./detail";
import type { AuthLogFilters } from "./filters";
import { listAuthLogs } from "./queries";
import { bucketWidthFor, filtersExcludingEverything, getAuthLogStats } from "./stats";

/**
 * The dashboard's reads against a real database: what the list, the count and the chart agree
 * on for each filter, keyset paging, and tenancy. Each test makes its own organization(s), so
 * nothing depends on another test's rows.
 */
type Seed = {
  organizationId: string;
  createdAt: Date;
  status?: AuthStatus;
  email?: string | null;
  errorCode?: string;
};

async function insertEntries(seeds: Seed[]): Promise<string[]> {
  const rows = seeds.map((seed) => ({
    id: newId("areq", seed.createdAt.getTime()),
    status: seed.status ?? "success",
    organizationId: seed.organizationId,
    email: seed.email === undefined ? `user-${uniqueSuffix()}@example.test` : seed.email,
    clientId: "dashboard-test-client",
    createdAt: seed.createdAt,
    updatedAt: seed.createdAt,
    errorCode: seed.errorCode ?? null,
  }));
  await db.insert(authRequests).values(rows);
  return rows.map((row) => row.id);
}

async function tenant() {
  const organization = await createTestOrganization();
  return { id: organization.id, scope: organizationScope(organization.id) };
}

async function listAll(scope: Scope, filters: AuthLogFilters, limit = 100) {
  return (await listAuthLogs(scope, filters, { limit })).data;
}

const T0 = new Date("2025-03-01T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

describe("time range", () => {
  it("includes entries exactly at both bounds", async () => {
    const org = await tenant();
    const [before, first, middle, last, after] = await insertEntries(
      [-1, 0, 500, 1000, 1001].map((ms) => ({ organizationId: org.id, createdAt: at(ms) })),
    );
    const filters = { from: at(0), to: at(1000) };
    const ids = (await listAll(org.scope, filters)).map((entry) => entry.id);
    expect(ids).toEqual([last, middle, first]);
    expect(ids).not.toContain(before);
    expect(ids).not.toContain(after);
    const stats = await getAuthLogStats(org.scope, filters, at(5000));
    expect(stats).toMatchObject({ total: 3, exact: true });
  });
});

describe("email", () => {
  it("matches exactly, in any case, and by prefix with a trailing *", async () => {
    const org = await tenant();
    const domain = `${uniqueSuffix()}.test`;
    const [ada, adam, bada, other] = await insertEntries(
      [`Ada.Lovelace@${domain}`, `adam@${domain}`, `bada@${domain}`, `a_b@${domain}`].map(
        (email, index) => ({ organizationId: org.id, createdAt: at(index), email }),
      ),
    );
    const ids = async (email: string) =>
      (await listAll(org.scope, { email })).map((entry) => entry.id).sort();

    expect(await ids(`ada.lovelace@${domain}`)).toEqual([ada]);
    expect(await ids(`ADA.LOVELACE@${domain.toUpperCase()}`)).toEqual([ada]);
    expect(await ids(`ada.lovelace@${domain.slice(0, -1)}`)).toEqual([]);
    expect(await ids("ADA*")).toEqual([ada, adam].sort());
    // LIKE wildcards in the prefix are taken literally.
    expect(await ids("a_*")).toEqual([other]);
    expect(await ids("a%*")).toEqual([]);
    expect((await getAuthLogStats(org.scope, { email: "ada*" }, at(10_000))).total).toBe(2);
    expect(bada).toBeDefined();
  });
});

describe("status", () => {
  it("combines several statuses with OR, and counts each in the chart", async () => {
    const org = await tenant();
    const statuses: AuthStatus[] = ["initiated", "pending", "success", "failure", "failure"];
    await insertEntries(
      statuses.map((status, index) => ({
        organizationId: org.id,
        createdAt: at(index * 1000),
        status,
      })),
    );
    const filters: AuthLogFilters = { statuses: ["success", "failure"] };
    const listed = await listAll(org.scope, filters);
    expect(listed.map((entry) => entry.status).sort()).toEqual(["failure", "failure", "success"]);

    const stats = await getAuthLogStats(org.scope, filters, at(60_000));
    expect(stats.total).toBe(3);
    const summed = stats.buckets.reduce(
      (sum, bucket) => ({
        success: sum.success + bucket.counts.success,
        failure: sum.failure + bucket.counts.failure,
        pending: sum.pending + bucket.counts.pending,
      }),
      { success: 0, failure: 0, pending: 0 },
    );
    expect(summed).toEqual({ success: 1, failure: 2, pending: 0 });
  });
});

describe("keyset pagination", () => {
  it("walks every entry once, newest first, even with equal timestamps and new arrivals", async () => {
    const org = await tenant();
    // Three pairs share a millisecond: the id breaks the tie.
    const times = [0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 7];
    const inserted = await insertEntries(
      times.map((ms) => ({ organizationId: org.id, createdAt: at(ms) })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listAuthLogs(org.scope, {}, { limit: 3, cursor });
      seen.push(...page.data.map((entry) => entry.id));
      cursor = page.nextCursor;
      if (pages === 0) {
        // A sign-in arriving after the first page never shifts the pages that follow it.
        await insertEntries([{ organizationId: org.id, createdAt: at(100) }]);
      }
      pages++;
    } while (cursor);
    expect(seen).toHaveLength(inserted.length);
    expect(new Set(seen).size).toBe(inserted.length);
    const expected = [...inserted].sort().reverse();
    expect(seen).toEqual(expected);
    expect(pages).toBe(4);
  });
});

describe("tenancy", () => {
  it("never shows another organization's entries, counts or details", async () => {
    const mine = await tenant();
    const theirs = await tenant();
    const [own] = await insertEntries([{ organizationId: mine.id, createdAt: at(0) }]);
    const [foreign] = await insertEntries([{ organizationId: theirs.id, createdAt: at(1) }]);

    const listed = (await listAll(mine.scope, { from: at(-10), to: at(10) })).map(
      (entry) => entry.id,
    );
    expect(listed).toEqual([own]);
    // Asking for the other tenant by filter intersects with the scope: nothing.
    expect(await listAll(mine.scope, { organizationId: theirs.id })).toEqual([]);
    expect(
      (await getAuthLogStats(mine.scope, { organizationId: theirs.id }, at(60_000))).total,
    ).toBe(0);
    await expect(getAuthLogDetail(mine.scope, foreign as string)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // The operator sees both.
    const operator = await listAll(operatorScope, { organizationId: theirs.id });
    expect(operator.map((entry) => entry.id)).toEqual([foreign]);
  });
});

describe("chart and count", () => {
  it("fills every bucket of the range and estimates past the exact limit", async () => {
    const org = await tenant();
    await insertEntries(
      Array.from({ length: 30 }, (_, index) => ({
        organizationId: org.id,
        createdAt: at(index * 60_000),
        status: index % 3 === 0 ? ("failure" as const) : ("success" as const),
      })),
    );
    const filters = { from: at(0), to: at(30 * 60_000 - 1) };
    const exact = await getAuthLogStats(org.scope, filters, at(3_600_000));
    expect(exact.exact).toBe(true);
    expect(exact.total).toBe(30);
    expect(exact.bucketMs).toBe(bucketWidthFor(30 * 60_000 - 1));
    expect(exact.buckets.reduce((sum, bucket) => sum + bucket.total, 0)).toBe(30);
    const starts = exact.buckets.map((bucket) => bucket.start.getTime());
    expect(
      starts.every(
        (start, index) => index === 0 || start - (starts[index - 1] as number) === exact.bucketMs,
      ),
    ).toBe(true);

    const estimated = await getAuthLogStats(org.scope, filters, at(3_600_000), db, 10);
    expect(estimated.exact).toBe(false);
    expect(estimated.total).toBeGreaterThan(10);
  });

  it("has no range when nothing matches", async () => {
    const org = await tenant();
    const stats = await getAuthLogStats(org.scope, {}, new Date());
    expect(stats).toMatchObject({ total: 0, range: null, buckets: [] });
  });

  it("names the filters that, removed alone, would show entries", async () => {
    const org = await tenant();
    await insertEntries([
      { organizationId: org.id, createdAt: at(0), status: "success", email: "zed@x.test" },
    ]);
    const culprits = await filtersExcludingEverything(org.scope, {
      statuses: ["failure"],
      email: "zed@x.test",
      from: at(-1000),
      to: at(1000),
    });
    expect(culprits).toEqual(["status"]);
  });
});

describe("failure explanation", () => {
  it("adds what the interceptor answered to the reason's hint", async () => {
    const org = await tenant();
    const [id] = await insertEntries([
      {
        organizationId: org.id,
        createdAt: at(0),
        status: "failure",
        errorCode: "interceptor_rejected",
      },
    ]);
    await db.insert(authRequestEvents).values({
      authRequestId: id as string,
      type: "failed: interceptor_rejected",
      status: "failure",
      detail: {
        interceptor_name: "Geo fence",
        url: "https://hooks.example.test/pre",
        message: "Outside the EU",
      },
      createdAt: at(5),
    });
    const detail = await getAuthLogDetail(org.scope, id as string);
    expect(detail.failure?.specifics).toBe(
      'Interceptor "Geo fence" at https://hooks.example.test/pre answered DENY: "Outside the EU".',
    );
    expect(detail.failure?.hint).toMatch(/interceptor/i);
    expect(detail.events).toHaveLength(1);
  });

  it("is absent for a successful attempt", () => {
    expect(
      explainFailure({
        status: "success",
        errorCode: null,
        errorDescription: null,
        redirectUri: null,
        events: [],
      }),
    ).toBeNull();
  });
});
