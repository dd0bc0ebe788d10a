import { describe, expect, it, vi } from "vitest";
import * as authLogsRoute from "@/app/api/v1/auth-logs/route";
import * as interceptorsRoute from "@/app/api/v1/interceptors/route";
import * as organizationsRoute from "@/app/api/v1/organizations/route";
import * as usersRoute from "@/app/api/v1/users/route";
import * as deliveryRoute from "@/app/api/v1/webhooks/deliveries/[id]/route";
import * as deliveriesRoute from "@/app/api/v1/webhooks/endpoints/[id]/deliveries/route";
import * as endpointReplayRoute from "@/app/api/v1/webhooks/endpoints/[id]/replay/route";
import * as endpointRoute from "@/app/api/v1/webhooks/endpoints/[id]/route";
import { problemFromError } from "@/lib/api/problems";
import { withApiKey } from "@/lib/api/route";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { NUL_MESSAGE } from "@/lib/text";
import { INSTANT_RANGE_MESSAGE } from "@/lib/time";
import { createTestEndpoint, createTestOrganization } from "@/tests/support/factories";
import { call, fields, operatorKey } from "./support";

describe("problem responses", () => {
  it("turns an unexpected error into a 500 problem without leaking its message", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const route = withApiKey(async () => {
      throw new Error("connection string postgres://secret@db");
    });
    const response = await call(route, { path: "/api/v1/anything", key: await operatorKey() });
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.body).toMatchObject({ status: 500, title: "Internal server error" });
    expect(JSON.stringify(response.body)).not.toContain("secret");
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });

  it("maps domain errors and database constraint races to their statuses", async () => {
    expect(problemFromError(new NotFoundError("Thing")).status).toBe(404);
    const conflict = problemFromError(new ConflictError("Taken", "email"));
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ errors: [{ field: "email", message: "Taken" }] });

    // A duplicate that slipped past the application's check, as drizzle wraps it.
    const race = Object.assign(new Error("Failed query"), {
      cause: Object.assign(new Error("duplicate key"), {
        code: "23505",
        constraint_name: "users_email_key",
      }),
    });
    const raced = problemFromError(race);
    expect(raced.status).toBe(409);
    expect(await raced.json()).toMatchObject({ errors: [{ field: "email" }] });

    const vanished = problemFromError({
      code: "23503",
      constraint: "memberships_organization_id_organizations_id_fk",
    });
    expect(vanished.status).toBe(422);
    expect(await vanished.json()).toMatchObject({ errors: [{ field: "organization_id" }] });
  });

  // PostgreSQL refuses U+0000 in text and jsonb; before the check, each of these was a 500.
  it("refuses NUL anywhere in a body or query string, naming the field, and finds no id with one", async () => {
    const key = await operatorKey();
    const created = await call(organizationsRoute.POST, {
      path: "/api/v1/organizations",
      key,
      body: { name: "Acme\u0000", domains: ["acme.test", "\u0000.test"] },
    });
    expect(created.status).toBe(422);
    expect(fields(created)).toEqual(["domains[1]", "name"]);
    expect(created.body.errors[0].message).toBe(NUL_MESSAGE);

    const listed = await call(authLogsRoute.GET, {
      path: `/api/v1/auth-logs?email=${encodeURIComponent("a\u0000@b.test")}&organization_id=%00`,
      key,
    });
    expect(listed.status).toBe(422);
    expect(fields(listed)).toEqual(["email", "organization_id"]);

    const byId = await call(deliveryRoute.GET, {
      path: "/api/v1/webhooks/deliveries/%00",
      key,
      params: { id: "\u0000" },
    });
    expect(byId.status).toBe(404);
    const deleted = await call(endpointRoute.DELETE, {
      path: "/api/v1/webhooks/endpoints/whep_%00",
      key,
      method: "DELETE",
      params: { id: "whep_\u0000" },
    });
    expect(deleted.status).toBe(404);
  });

  // Year 0000 is valid ISO 8601 and a valid Date, but PostgreSQL refuses it as JavaScript
  // writes it (so does a year past 9999, which an offset can reach from 9999-12-31).
  it("refuses time filters and cursors the database cannot compare", async () => {
    const key = await operatorKey();
    // An organization's endpoint, not an operator one: those receive every event of the shared
    // test database, including other files' (their first delivery would go here).
    const organization = await createTestOrganization();
    const { endpoint } = await createTestEndpoint(organization.id);
    const at = { id: endpoint.id };
    const authLogs = await call(authLogsRoute.GET, {
      path: "/api/v1/auth-logs?from=0000-01-01T00:00:00Z&to=9999-12-31T23:59:59-01:00",
      key,
    });
    expect(authLogs.status).toBe(422);
    expect(authLogs.body.errors).toEqual([
      { field: "from", message: INSTANT_RANGE_MESSAGE },
      { field: "to", message: INSTANT_RANGE_MESSAGE },
    ]);
    const deliveries = await call(deliveriesRoute.GET, {
      path: `/api/v1/webhooks/endpoints/${endpoint.id}/deliveries?from=0000-06-01T00:00:00Z`,
      key,
      params: at,
    });
    expect(fields(deliveries)).toEqual(["from"]);
    const replay = await call(endpointReplayRoute.POST, {
      path: `/api/v1/webhooks/endpoints/${endpoint.id}/replay`,
      key,
      params: at,
      body: { since: "0000-01-01T00:00:00Z" },
    });
    expect(replay.status).toBe(422);
    expect(fields(replay)).toEqual(["since"]);

    const handMade = (position: { t: string; i: string }) =>
      Buffer.from(JSON.stringify(position)).toString("base64url");
    for (const cursor of [
      handMade({ t: "0000-01-01T00:00:00.000000Z", i: "areq_1" }),
      handMade({ t: "2026-01-01T00:00:00.000000Z", i: "areq_\u0000" }),
    ]) {
      const page = await call(authLogsRoute.GET, {
        path: `/api/v1/auth-logs?cursor=${cursor}`,
        key,
      });
      expect(page.status).toBe(422);
      expect(fields(page)).toEqual(["cursor"]);
    }
  });

  it("names a field called __proto__ like any other", async () => {
    const response = await call(organizationsRoute.POST, {
      path: "/api/v1/organizations",
      key: await operatorKey(),
      body: '{"name":"Acme","__proto__":{"admin":true}}',
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([{ field: "__proto__", message: "is not a known field" }]);
  });

  // A list used to ignore a filter it does not have, so `?user_id=` answered with every entry.
  it("refuses a query parameter or field it does not know, rather than ignoring it", async () => {
    const key = await operatorKey();
    const logs = await call(authLogsRoute.GET, { path: "/api/v1/auth-logs?user_id=usr_1", key });
    expect(logs.status).toBe(422);
    expect(logs.body.errors).toEqual([{ field: "user_id", message: "is not a known field" }]);
    const users = await call(usersRoute.GET, {
      path: "/api/v1/users?organization_id=org_1&limit=5",
      key,
    });
    expect(fields(users)).toEqual(["organization_id"]);
    const interceptor = await call(interceptorsRoute.POST, {
      path: "/api/v1/interceptors",
      key,
      body: { name: "Geo fence", url: "https://hooks.example.com/pre", timeout: 500 },
    });
    expect(interceptor.body.errors).toEqual([
      { field: "timeout", message: "is not a known field" },
    ]);
  });

  it("takes an empty cursor as the first page and names an overlong one", async () => {
    const key = await operatorKey();
    const first = await call(usersRoute.GET, { path: "/api/v1/users?limit=1", key });
    const empty = await call(usersRoute.GET, { path: "/api/v1/users?limit=1&cursor=", key });
    expect(empty.status).toBe(200);
    expect(empty.body.data).toEqual(first.body.data);
    const long = await call(usersRoute.GET, {
      path: `/api/v1/users?cursor=${"c".repeat(600)}`,
      key,
    });
    expect(long.body.errors).toEqual([
      { field: "cursor", message: "is not a cursor returned by this API" },
    ]);
  });

  it("words a field's problem plainly where its schema has no message of its own", async () => {
    const key = await operatorKey();
    const page = await call(usersRoute.GET, { path: "/api/v1/users?limit=abc", key });
    expect(page.body.errors).toEqual([{ field: "limit", message: "must be a number" }]);
    const created = await call(organizationsRoute.POST, {
      path: "/api/v1/organizations",
      key,
      body: { name: "x".repeat(201) },
    });
    expect(created.body.errors).toEqual([
      { field: "name", message: "must be at most 200 characters" },
    ]);
  });
});
