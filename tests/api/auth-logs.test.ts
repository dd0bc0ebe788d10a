import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as authLogRoute from "@/app/api/v1/auth-logs/[id]/route";
import * as authLogsRoute from "@/app/api/v1/auth-logs/route";
import type { AuthStatus } from "@/constants/auth-logs";
import { authRequests } from "@/db/schema";
import { failAuthRequest, openAuthRequest, transitionAuthRequest } from "@/lib/auth-logs/journey";
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { createTestOrganization } from "@/tests/support/factories";
import { call, fields, operatorKey, organizationKey } from "./support";

type Row = {
  status?: AuthStatus;
  email?: string | null;
  clientId?: string;
  createdAt: Date | string;
};

/** Inserts auth log rows for one organization at exact times; returns their ids in order. */
async function insertLogs(organizationId: string, rows: Row[]): Promise<string[]> {
  const ids = rows.map(() => newId("areq"));
  await db.insert(authRequests).values(
    rows.map((row, index) => ({
      id: ids[index] as string,
      organizationId,
      status: row.status ?? "success",
      email: row.email ?? null,
      clientId: row.clientId ?? "app_logs_test",
      // A string keeps PostgreSQL's microseconds, which a Date cannot carry.
      createdAt:
        sql`${typeof row.createdAt === "string" ? row.createdAt : row.createdAt.toISOString()}::timestamptz` as unknown as Date,
    })),
  );
  return ids;
}

async function listIds(key: string, query: string): Promise<string[]> {
  const response = await call(authLogsRoute.GET, { path: `/api/v1/auth-logs?${query}`, key });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data.map((entry: { id: string }) => entry.id);
}

const base = Date.parse("2025-03-01T12:00:00.000Z");
const at = (seconds: number) => new Date(base + seconds * 1000);

describe("GET /api/v1/auth-logs filters", () => {
  it("filters by organization, statuses, email (exact or prefix, any case), client and time", async () => {
    const organization = await createTestOrganization();
    const key = await operatorKey();
    const [ada, adaKing, bob, anonymous, other] = await insertLogs(organization.id, [
      { status: "success", email: "Ada@Example.com", createdAt: at(0) },
      { status: "failure", email: "ada.king@example.com", createdAt: at(1) },
      { status: "pending", email: "bob@example.com", createdAt: at(2) },
      { status: "initiated", email: null, createdAt: at(3) },
      { status: "success", email: "a_d@example.com", clientId: "app_other", createdAt: at(4) },
    ]);
    const org = `organization_id=${organization.id}`;

    expect(await listIds(key, org)).toEqual([other, anonymous, bob, adaKing, ada]);
    expect(await listIds(key, `${org}&status=success&status=failure`)).toEqual([
      other,
      adaKing,
      ada,
    ]);
    expect(await listIds(key, `${org}&status=pending,initiated`)).toEqual([anonymous, bob]);
    expect(await listIds(key, `${org}&email=ADA@example.COM`)).toEqual([ada]);
    expect(await listIds(key, `${org}&email=ada*`)).toEqual([adaKing, ada]);
    expect(await listIds(key, `${org}&email=ADA.*`)).toEqual([adaKing]);
    // LIKE wildcards in the prefix are literal characters.
    expect(await listIds(key, `${org}&email=a_*`)).toEqual([other]);
    expect(await listIds(key, `${org}&email=a%25*`)).toEqual([]);
    expect(await listIds(key, `${org}&client_id=app_other`)).toEqual([other]);
    // Both bounds are inclusive, to the millisecond.
    const from = encodeURIComponent(at(1).toISOString());
    const to = encodeURIComponent(at(3).toISOString());
    expect(await listIds(key, `${org}&from=${from}&to=${to}`)).toEqual([anonymous, bob, adaKing]);
    expect(await listIds(key, `${org}&from=${from}&to=${from}`)).toEqual([adaKing]);
    expect(
      await listIds(key, `${org}&from=2025-03-01T13:00:01%2B01:00&to=2025-03-01T12:00:02Z`),
    ).toEqual([bob, adaKing]);
  });

  it("includes, with an inclusive bound, every entry within the millisecond it names", async () => {
    const organization = await createTestOrganization();
    const key = await operatorKey();
    // Stored to the microsecond; the API prints (and is given back) the millisecond.
    const [late, next] = await insertLogs(organization.id, [
      { createdAt: "2025-03-01T12:00:01.716900Z" },
      { createdAt: "2025-03-01T12:00:01.717000Z" },
    ]);
    const org = `organization_id=${organization.id}`;
    const printed = "2025-03-01T12:00:01.716Z";
    expect(await listIds(key, `${org}&from=${printed}&to=${printed}`)).toEqual([late]);
    expect(await listIds(key, `${org}&to=${printed}`)).toEqual([late]);
    expect(await listIds(key, `${org}&from=${printed}`)).toEqual([next, late]);
  });

  it("returns each entry's documented fields", async () => {
    const organization = await createTestOrganization();
    await insertLogs(organization.id, [{ email: "shape@example.com", createdAt: at(0) }]);
    const response = await call(authLogsRoute.GET, {
      path: `/api/v1/auth-logs?organization_id=${organization.id}`,
      key: await operatorKey(),
    });
    expect(Object.keys(response.body)).toEqual(["data", "next_cursor"]);
    expect(response.body.next_cursor).toBeNull();
    expect(response.body.data[0]).toEqual({
      id: expect.stringMatching(/^areq_/),
      status: "success",
      email: "shape@example.com",
      user_id: null,
      auth_method: null,
      connection: null,
      organization_id: organization.id,
      client_id: "app_logs_test",
      redirect_uri: null,
      scope: null,
      retry_of: null,
      ip: null,
      user_agent: null,
      error_code: null,
      error_description: null,
      created_at: at(0).toISOString(),
      updated_at: expect.any(String),
      completed_at: null,
    });
  });

  it("answers 422 naming each invalid filter", async () => {
    const key = await operatorKey();
    const response = await call(authLogsRoute.GET, {
      path: "/api/v1/auth-logs?status=success&status=done&from=yesterday&limit=101&email=*",
      key,
    });
    expect(response.status).toBe(422);
    expect(fields(response)).toEqual(["email", "from", "limit", "status[1]"]);
    const reversed = await call(authLogsRoute.GET, {
      path: "/api/v1/auth-logs?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z",
      key,
    });
    expect(fields(reversed)).toEqual(["to"]);
    const noZone = await call(authLogsRoute.GET, {
      path: "/api/v1/auth-logs?to=2025-03-01T00:00:00",
      key,
    });
    expect(fields(noZone)).toEqual(["to"]);
    const wildcard = await call(authLogsRoute.GET, { path: "/api/v1/auth-logs?email=a*b", key });
    expect(fields(wildcard)).toEqual(["email"]);
  });
});

describe("GET /api/v1/auth-logs pagination", () => {
  it("walks every page without duplicates or gaps, across identical timestamps", async () => {
    const organization = await createTestOrganization();
    const key = await operatorKey();
    // 57 rows on 6 distinct instants, two of them only a microsecond apart.
    const instants = [
      "2025-03-01T10:00:00.000000Z",
      "2025-03-01T10:00:00.123400Z",
      "2025-03-01T10:00:00.123456Z",
      "2025-03-01T10:00:00.123457Z",
      "2025-03-01T10:00:01.000000Z",
      "2025-03-01T10:00:02.000000Z",
    ];
    const ids = await insertLogs(
      organization.id,
      Array.from({ length: 57 }, (_, index) => ({
        createdAt: instants[index % instants.length] as string,
      })),
    );
    const expected = ids
      .map((id, index) => ({ id, instant: instants[index % instants.length] as string }))
      .sort((a, b) =>
        a.instant === b.instant ? (a.id < b.id ? 1 : -1) : a.instant < b.instant ? 1 : -1,
      )
      .map((row) => row.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `organization_id=${organization.id}&limit=10${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await call(authLogsRoute.GET, { path: `/api/v1/auth-logs?${query}`, key });
      seen.push(...response.body.data.map((entry: { id: string }) => entry.id));
      cursor = response.body.next_cursor;
      pages++;
      // Rows arriving mid-walk are newer than every page already read: they never shift later pages.
      if (pages === 2) await insertLogs(organization.id, [{ createdAt: new Date() }]);
    } while (cursor);
    expect(pages).toBe(6);
    expect(seen).toEqual(expected);
  });

  it("stops with a null cursor when the last page is exactly full", async () => {
    const organization = await createTestOrganization();
    const key = await operatorKey();
    await insertLogs(organization.id, [{ createdAt: at(0) }, { createdAt: at(1) }]);
    const response = await call(authLogsRoute.GET, {
      path: `/api/v1/auth-logs?organization_id=${organization.id}&limit=2`,
      key,
    });
    expect(response.body.data).toHaveLength(2);
    expect(response.body.next_cursor).toBeNull();
  });
});

describe("auth logs and organization-scoped keys", () => {
  it("shows a scoped key only its organization's entries, whatever it filters on", async () => {
    const own = await createTestOrganization();
    const other = await createTestOrganization();
    const [mine] = await insertLogs(own.id, [{ email: "me@example.com", createdAt: at(0) }]);
    const [theirs] = await insertLogs(other.id, [{ email: "me@example.com", createdAt: at(0) }]);
    const key = await organizationKey(own.id);
    expect(await listIds(key, "email=me@example.com")).toEqual([mine]);
    expect(await listIds(key, `organization_id=${other.id}`)).toEqual([]);
    const hidden = await call(authLogRoute.GET, {
      path: `/api/v1/auth-logs/${theirs}`,
      key,
      params: { id: theirs as string },
    });
    expect(hidden.status).toBe(404);
  });
});

describe("GET /api/v1/auth-logs/{id}", () => {
  it("returns the entry with its journey, oldest event first", async () => {
    const organization = await createTestOrganization();
    const opened = await db.transaction((tx) =>
      openAuthRequest(
        tx,
        { clientId: "app_journey", organizationId: organization.id },
        { scope: "openid" },
      ),
    );
    await db.transaction((tx) =>
      transitionAuthRequest(
        tx,
        opened.id,
        "pending",
        { type: "user_identified" },
        { email: "j@example.com" },
      ),
    );
    await db.transaction((tx) => failAuthRequest(tx, opened.id, "invalid_credentials"));

    const response = await call(authLogRoute.GET, {
      path: `/api/v1/auth-logs/${opened.id}`,
      key: await organizationKey(organization.id),
      params: { id: opened.id },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: opened.id,
      status: "failure",
      email: "j@example.com",
      error_code: "invalid_credentials",
      completed_at: expect.any(String),
    });
    expect(response.body.events).toEqual([
      {
        type: "authorize_received",
        status: "initiated",
        detail: { scope: "openid" },
        created_at: expect.any(String),
      },
      { type: "user_identified", status: "pending", detail: {}, created_at: expect.any(String) },
      {
        type: "failed: invalid_credentials",
        status: "failure",
        detail: { error_code: "invalid_credentials", error_description: expect.any(String) },
        created_at: expect.any(String),
      },
    ]);
  });

  it("answers 404 for an unknown id", async () => {
    const response = await call(authLogRoute.GET, {
      path: "/api/v1/auth-logs/areq_missing",
      key: await operatorKey(),
      params: { id: "areq_missing" },
    });
    expect(response.status).toBe(404);
  });
});
