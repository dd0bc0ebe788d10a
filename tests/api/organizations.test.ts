import { describe, expect, it } from "vitest";
import * as organizationRoute from "@/app/api/v1/organizations/[id]/route";
import * as organizationsRoute from "@/app/api/v1/organizations/route";
import { createTestOrganization, uniqueSuffix } from "@/tests/support/factories";
import { call, fields, operatorKey, organizationKey } from "./support";

describe("/api/v1/organizations", () => {
  it("creates an organization with lowercased, de-duplicated domains and reads it back", async () => {
    const key = await operatorKey();
    const suffix = uniqueSuffix();
    const created = await call(organizationsRoute.POST, {
      path: "/api/v1/organizations",
      key,
      body: {
        name: `Initech ${suffix}`,
        domains: [`Initech-${suffix}.Test.`, `initech-${suffix}.test`],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^org_/),
      name: `Initech ${suffix}`,
      slug: `initech-${suffix}`,
      domains: [`initech-${suffix}.test`],
      is_operator: false,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const read = await call(organizationRoute.GET, {
      path: `/api/v1/organizations/${created.body.id}`,
      key,
      params: { id: created.body.id },
    });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it("gives two organizations with the same name distinct slugs", async () => {
    const key = await operatorKey();
    const name = `Twin ${uniqueSuffix()}`;
    const [first, second] = await Promise.all(
      [1, 2].map(() =>
        call(organizationsRoute.POST, { path: "/api/v1/organizations", key, body: { name } }),
      ),
    );
    expect([first?.status, second?.status]).toEqual([201, 201]);
    expect(first?.body.slug).not.toBe(second?.body.slug);
  });

  it("answers 422 naming each invalid field", async () => {
    const key = await operatorKey();
    const response = await call(organizationsRoute.POST, {
      path: "/api/v1/organizations",
      key,
      body: { name: " ", domains: ["not a domain", "ok.test", "127.0.0.1"], colour: "red" },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(fields(response)).toEqual(["colour", "domains[0]", "domains[2]", "name"]);
    const missing = await call(organizationsRoute.POST, {
      path: "/api/v1/organizations",
      key,
      body: {},
    });
    expect(missing.body.errors).toEqual([{ field: "name", message: "is required" }]);
  });

  it("answers 409 naming domains when a domain is taken, in any case", async () => {
    const key = await operatorKey();
    const existing = await createTestOrganization();
    const taken = existing.domains[0] as string;
    const response = await call(organizationsRoute.POST, {
      path: "/api/v1/organizations",
      key,
      body: { name: "Squatter", domains: [taken.toUpperCase()] },
    });
    expect(response.status).toBe(409);
    expect(fields(response)).toEqual(["domains"]);
  });

  it("answers 404 for an unknown id", async () => {
    const key = await operatorKey();
    const response = await call(organizationRoute.GET, {
      path: "/api/v1/organizations/org_missing",
      key,
      params: { id: "org_missing" },
    });
    expect(response.status).toBe(404);
    expect(response.body.status).toBe(404);
  });

  it("lists newest first with a cursor, without duplicates", async () => {
    const key = await operatorKey();
    const mine = new Set<string>();
    for (let i = 0; i < 3; i++) mine.add((await createTestOrganization()).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/v1/organizations?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await call(organizationsRoute.GET, { path: query, key });
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((organization: { id: string }) => organization.id));
      cursor = page.body.next_cursor;
      // On a shared PostgreSQL older organizations go on for pages; ours are among the newest.
    } while (cursor && ![...mine].every((id) => seen.includes(id)));
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of mine) expect(seen).toContain(id);
  });

  it("shows an organization-scoped key only its own organization and lets it create none", async () => {
    const own = await createTestOrganization();
    const other = await createTestOrganization();
    const key = await organizationKey(own.id);
    const list = await call(organizationsRoute.GET, { path: "/api/v1/organizations", key });
    expect(list.body.data.map((organization: { id: string }) => organization.id)).toEqual([own.id]);
    const hidden = await call(organizationRoute.GET, {
      path: `/api/v1/organizations/${other.id}`,
      key,
      params: { id: other.id },
    });
    expect(hidden.status).toBe(404);
    const create = await call(organizationsRoute.POST, {
      path: "/api/v1/organizations",
      key,
      body: { name: "Sibling" },
    });
    expect(create.status).toBe(403);
  });

  it("answers 422 for a bad limit or a forged cursor", async () => {
    const key = await operatorKey();
    const limit = await call(organizationsRoute.GET, {
      path: "/api/v1/organizations?limit=0",
      key,
    });
    expect(fields(limit)).toEqual(["limit"]);
    const cursor = await call(organizationsRoute.GET, {
      path: "/api/v1/organizations?cursor=bm9wZQ",
      key,
    });
    expect(cursor.status).toBe(422);
    expect(fields(cursor)).toEqual(["cursor"]);
  });
});
