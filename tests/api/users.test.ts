import { describe, expect, it } from "vitest";
import * as userRoute from "@/app/api/v1/users/[id]/route";
import * as usersRoute from "@/app/api/v1/users/route";
import { verifyPassword } from "@/lib/crypto";
import { findUser } from "@/lib/users";
import { createTestOrganization, createTestUser, uniqueSuffix } from "@/tests/support/factories";
import { call, fields, operatorKey, organizationKey } from "./support";

const email = () => `Person.${uniqueSuffix()}@Example.com`;

describe("/api/v1/users", () => {
  it("creates a user with a membership and never returns the password hash", async () => {
    const key = await operatorKey();
    const organization = await createTestOrganization();
    const address = email();
    const created = await call(usersRoute.POST, {
      path: "/api/v1/users",
      key,
      body: {
        email: ` ${address} `,
        name: "Ada Lovelace",
        password: "analytical-engine",
        organization_id: organization.id,
        role: "admin",
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^usr_/),
      email: address,
      name: "Ada Lovelace",
      has_password: true,
      email_verified_at: null,
      memberships: [
        {
          organization_id: organization.id,
          organization_name: organization.name,
          role: "admin",
          created_at: expect.any(String),
        },
      ],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(JSON.stringify(created.body)).not.toContain("scrypt");
    const stored = await findUser(created.body.id);
    expect(await verifyPassword("analytical-engine", stored?.passwordHash ?? "")).toBe(true);

    const read = await call(userRoute.GET, {
      path: `/api/v1/users/${created.body.id}`,
      key,
      params: { id: created.body.id },
    });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it("creates a passwordless user without an organization", async () => {
    const key = await operatorKey();
    const created = await call(usersRoute.POST, {
      path: "/api/v1/users",
      key,
      body: { email: email() },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ has_password: false, name: null, memberships: [] });
  });

  it("answers 422 naming each invalid field", async () => {
    const key = await operatorKey();
    const response = await call(usersRoute.POST, {
      path: "/api/v1/users",
      key,
      body: { email: "not-an-email", password: "short", role: "owner", organization_id: 7 },
    });
    expect(response.status).toBe(422);
    expect(fields(response)).toEqual(["email", "organization_id", "password", "role"]);
  });

  it("answers 422 for an unknown organization and for a role without one", async () => {
    const key = await operatorKey();
    const unknown = await call(usersRoute.POST, {
      path: "/api/v1/users",
      key,
      body: { email: email(), organization_id: "org_does_not_exist" },
    });
    expect(unknown.status).toBe(422);
    expect(fields(unknown)).toEqual(["organization_id"]);
    const role = await call(usersRoute.POST, {
      path: "/api/v1/users",
      key,
      body: { email: email(), role: "admin" },
    });
    expect(fields(role)).toEqual(["role"]);
  });

  it("answers 409 naming email for a duplicate, whatever its case", async () => {
    const key = await operatorKey();
    const { user } = await createTestUser();
    const response = await call(usersRoute.POST, {
      path: "/api/v1/users",
      key,
      body: { email: user.email.toUpperCase() },
    });
    expect(response.status).toBe(409);
    expect(fields(response)).toEqual(["email"]);
  });

  it("answers 404 for an unknown id", async () => {
    const key = await operatorKey();
    const response = await call(userRoute.GET, {
      path: "/api/v1/users/usr_missing",
      key,
      params: { id: "usr_missing" },
    });
    expect(response.status).toBe(404);
  });

  it("keeps an organization-scoped key to its own members", async () => {
    const own = await createTestOrganization();
    const other = await createTestOrganization();
    const member = (await createTestUser({ organizationId: own.id })).user;
    const outsider = (await createTestUser({ organizationId: other.id })).user;
    const key = await organizationKey(own.id);

    const list = await call(usersRoute.GET, { path: "/api/v1/users?limit=100", key });
    expect(list.body.data.map((user: { id: string }) => user.id)).toEqual([member.id]);
    const hidden = await call(userRoute.GET, {
      path: `/api/v1/users/${outsider.id}`,
      key,
      params: { id: outsider.id },
    });
    expect(hidden.status).toBe(404);

    // New users join the key's organization; another organization is as good as unknown.
    const created = await call(usersRoute.POST, {
      path: "/api/v1/users",
      key,
      body: { email: email() },
    });
    expect(created.status).toBe(201);
    expect(created.body.memberships).toEqual([
      expect.objectContaining({ organization_id: own.id, role: "member" }),
    ]);
    const elsewhere = await call(usersRoute.POST, {
      path: "/api/v1/users",
      key,
      body: { email: email(), organization_id: other.id },
    });
    expect(elsewhere.status).toBe(422);
    expect(fields(elsewhere)).toEqual(["organization_id"]);
  });

  it("shows an organization-scoped key only memberships in its organization", async () => {
    const own = await createTestOrganization();
    const other = await createTestOrganization();
    const { user } = await createTestUser({ organizationId: own.id });
    const operator = await operatorKey();
    await call(usersRoute.POST, {
      path: "/api/v1/users",
      key: operator,
      body: { email: `${uniqueSuffix()}@example.com` },
    });
    const { addMembership } = await import("@/lib/organizations");
    await addMembership({ userId: user.id, organizationId: other.id, role: "admin" });
    const scoped = await call(userRoute.GET, {
      path: `/api/v1/users/${user.id}`,
      key: await organizationKey(own.id),
      params: { id: user.id },
    });
    expect(
      scoped.body.memberships.map((m: { organization_id: string }) => m.organization_id),
    ).toEqual([own.id]);
    const full = await call(userRoute.GET, {
      path: `/api/v1/users/${user.id}`,
      key: operator,
      params: { id: user.id },
    });
    expect(full.body.memberships).toHaveLength(2);
  });
});
