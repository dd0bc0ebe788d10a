import { describe, expect, it, vi } from "vitest";
import * as authLogsRoute from "@/app/api/v1/auth-logs/route";
import * as organizationsRoute from "@/app/api/v1/organizations/route";
import * as deliveryRoute from "@/app/api/v1/webhooks/deliveries/[id]/route";
import * as endpointRoute from "@/app/api/v1/webhooks/endpoints/[id]/route";
import { problemFromError } from "@/lib/api/problems";
import { withApiKey } from "@/lib/api/route";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { NUL_MESSAGE } from "@/lib/text";
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
});
