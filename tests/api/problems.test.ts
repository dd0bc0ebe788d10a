import { describe, expect, it, vi } from "vitest";
import { problemFromError } from "@/lib/api/problems";
import { withApiKey } from "@/lib/api/route";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { call, operatorKey } from "./support";

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
});
