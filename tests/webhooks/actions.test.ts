import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as organizationRoute from "@/app/api/v1/organizations/[id]/route";
import * as organizationsRoute from "@/app/api/v1/organizations/route";
import * as userRoute from "@/app/api/v1/users/[id]/route";
import * as usersRoute from "@/app/api/v1/users/route";
import { GET as logoutGet } from "@/app/oauth/logout/route";
import { webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { db } from "@/lib/db";
import { completeAuthorization } from "@/lib/oauth/authorization";
import { operatorScope } from "@/lib/organizations/scope";
import { deleteEndpoint } from "@/lib/webhooks/endpoints";
import { call, fields, operatorKey, organizationKey } from "@/tests/api/support";
import {
  beginFlow,
  exchangeCode,
  ISSUER,
  POST_LOGOUT_URI,
  registerClient,
} from "@/tests/oauth/support";
import {
  createTestEndpoint,
  createTestOrganization,
  createTestUser,
  uniqueSuffix,
} from "@/tests/support/factories";

// The real actions write their webhooks: the users and organizations API, the token endpoint's
// code exchange (user.login) and the end-session endpoint (user.logout).

const spyOnSend = () => vi.spyOn(inngest, "send").mockResolvedValue({ ids: [] } as never);
let send: ReturnType<typeof spyOnSend>;
beforeEach(() => {
  send = spyOnSend();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The payloads an endpoint has been given, oldest first. */
async function received(endpointId: string) {
  const rows = await db
    .select({ body: webhookEvents.body, deliveryId: webhookDeliveries.id })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(asc(webhookDeliveries.createdAt), asc(webhookEvents.type));
  return rows.map((row) => ({ ...JSON.parse(row.body), deliveryId: row.deliveryId }));
}

const sentIds = () =>
  send.mock.calls.flatMap((args) => (args[0] as unknown as { id: string }[]).map((e) => e.id));

describe("users API", () => {
  it("creating a user in an organization sends user.signup, directory.user_created and membership_created", async () => {
    const organization = await createTestOrganization();
    const { endpoint } = await createTestEndpoint(organization.id);
    const key = await organizationKey(organization.id);
    const email = `ada.${uniqueSuffix()}@example.com`;

    const created = await call(usersRoute.POST, {
      path: "/api/v1/users",
      key,
      body: { email, name: "Ada", role: "admin" },
    });
    expect(created.status).toBe(201);

    const events = await received(endpoint.id);
    expect(events.map((event) => event.type).sort()).toEqual([
      "organization.directory.user_created",
      "organization.membership_created",
      "user.signup",
    ]);
    const user = {
      id: created.body.id,
      email,
      name: "Ada",
      email_verified_at: null,
      created_at: created.body.created_at,
      updated_at: created.body.updated_at,
    };
    for (const event of events) expect(event.organization_id).toBe(organization.id);
    const byType = Object.fromEntries(events.map((event) => [event.type, event.data]));
    expect(byType["user.signup"]).toEqual({ user });
    expect(byType["organization.directory.user_created"]).toEqual({ user, role: "admin" });
    expect(byType["organization.membership_created"]).toEqual({
      membership: {
        user_id: user.id,
        organization_id: organization.id,
        role: "admin",
        created_at: expect.any(String),
      },
      user,
    });
    // Handed to Inngest after the commit, one hand-off per delivery.
    expect(sentIds().sort()).toEqual(events.map((event) => event.deliveryId).sort());
  });

  it("a user created outside any organization sends nothing", async () => {
    const organization = await createTestOrganization();
    const { endpoint } = await createTestEndpoint(organization.id);
    const created = await call(usersRoute.POST, {
      path: "/api/v1/users",
      key: await operatorKey(),
      body: { email: `solo.${uniqueSuffix()}@example.com` },
    });
    expect(created.status).toBe(201);
    expect(await received(endpoint.id)).toEqual([]);
    expect(send).not.toHaveBeenCalled();
  });

  it("PATCH and DELETE send directory.user_updated (with what changed) and directory.user_deleted", async () => {
    const organization = await createTestOrganization();
    const { user } = await createTestUser({ organizationId: organization.id, name: "Ada Byron" });
    const { endpoint } = await createTestEndpoint(organization.id, {
      eventTypes: ["organization.directory.user_updated", "organization.directory.user_deleted"],
    });
    const key = await organizationKey(organization.id);
    const path = `/api/v1/users/${user.id}`;
    const params = { id: user.id };

    const renamed = await call(userRoute.PATCH, {
      path,
      key,
      method: "PATCH",
      params,
      body: { name: "Ada Lovelace" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe("Ada Lovelace");
    const passwordOnly = await call(userRoute.PATCH, {
      path,
      key,
      method: "PATCH",
      params,
      body: { password: "a-new-long-password" },
    });
    expect(passwordOnly.status).toBe(200);

    const invalid = await call(userRoute.PATCH, {
      path,
      key,
      method: "PATCH",
      params,
      body: { email: "nope", role: "admin" },
    });
    expect(fields(invalid)).toEqual(["email", "role"]);

    const deleted = await call(userRoute.DELETE, { path, key, method: "DELETE", params });
    expect(deleted.status).toBe(204);
    expect((await call(userRoute.GET, { path, key, params })).status).toBe(404);

    const events = await received(endpoint.id);
    expect(events.map((event) => event.type)).toEqual([
      "organization.directory.user_updated",
      "organization.directory.user_deleted",
    ]);
    expect(events[0].data).toMatchObject({
      user: { id: user.id, name: "Ada Lovelace" },
      previous_attributes: { name: "Ada Byron" },
    });
    expect(events[1].data).toMatchObject({ user: { id: user.id, name: "Ada Lovelace" } });
  });

  it("an organization's key cannot change or delete a user who also belongs elsewhere", async () => {
    const home = await createTestOrganization();
    const elsewhere = await createTestOrganization();
    const { user } = await createTestUser({ organizationId: home.id });
    await db.transaction(async (tx) => {
      const { addMembership } = await import("@/lib/organizations");
      await addMembership({ userId: user.id, organizationId: elsewhere.id, role: "member" }, tx);
    });
    const key = await organizationKey(home.id);
    const params = { id: user.id };
    const path = `/api/v1/users/${user.id}`;
    const patched = await call(userRoute.PATCH, {
      path,
      key,
      method: "PATCH",
      params,
      body: { name: "Mallory" },
    });
    expect(patched.status).toBe(403);
    expect((await call(userRoute.DELETE, { path, key, method: "DELETE", params })).status).toBe(
      403,
    );
    const outsider = await organizationKey((await createTestOrganization()).id);
    expect(
      (await call(userRoute.DELETE, { path, key: outsider, method: "DELETE", params })).status,
    ).toBe(404);
  });
});

describe("organizations API", () => {
  it("sends organization.created, .updated and .deleted (the last to operator endpoints)", async () => {
    // Operator endpoints receive every organization's events: kept to these types, and removed
    // at the end, so other tests sharing the database do not feed it.
    const operatorEndpoint = await createTestEndpoint(null, {
      eventTypes: ["organization.created", "organization.updated", "organization.deleted"],
    });
    try {
      const operator = await operatorKey();
      const created = await call(organizationsRoute.POST, {
        path: "/api/v1/organizations",
        key: operator,
        body: { name: `Acme ${uniqueSuffix()}`, domains: [`${uniqueSuffix()}.example.com`] },
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const { endpoint: ownEndpoint } = await createTestEndpoint(id);
      const params = { id };
      const path = `/api/v1/organizations/${id}`;

      const ownKey = await organizationKey(id);
      const newDomain = `${uniqueSuffix()}.example.org`;
      const renamed = await call(organizationRoute.PATCH, {
        path,
        key: ownKey,
        method: "PATCH",
        params,
        body: { name: "Acme Renamed", domains: [newDomain] },
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ name: "Acme Renamed", domains: [newDomain] });
      expect((await received(ownEndpoint.id)).map((event) => event.type)).toEqual([
        "organization.updated",
      ]);

      expect(
        (await call(organizationRoute.DELETE, { path, key: ownKey, method: "DELETE", params }))
          .status,
      ).toBe(403);
      const deleted = await call(organizationRoute.DELETE, {
        path,
        key: operator,
        method: "DELETE",
        params,
      });
      expect(deleted.status).toBe(204);
      // The organization's own endpoint went with it.
      expect(
        await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, ownEndpoint.id)),
      ).toEqual([]);

      const events = (await received(operatorEndpoint.endpoint.id)).filter(
        (event) => event.organization_id === id,
      );
      expect(events.map((event) => event.type)).toEqual([
        "organization.created",
        "organization.updated",
        "organization.deleted",
      ]);
      expect(events[0].data.organization).toMatchObject({ id, name: created.body.name });
      expect(events[1].data).toMatchObject({
        organization: { name: "Acme Renamed", domains: [newDomain] },
        previous_attributes: { name: created.body.name, domains: created.body.domains },
      });
      expect(events[2].data.organization).toMatchObject({ id, name: "Acme Renamed" });
    } finally {
      await deleteEndpoint(operatorScope, operatorEndpoint.endpoint.id);
    }
  });

  it("refuses to delete the operator organization or take another's domain", async () => {
    const first = await createTestOrganization();
    const second = await createTestOrganization();
    const response = await call(organizationRoute.PATCH, {
      path: `/api/v1/organizations/${second.id}`,
      key: await operatorKey(),
      method: "PATCH",
      params: { id: second.id },
      body: { domains: first.domains },
    });
    expect(response.status).toBe(409);
    expect(fields(response)).toEqual(["domains"]);
  });
});

describe("sign-in and sign-out", () => {
  it("a successful code exchange sends user.login with its auth_request_id; end-session sends user.logout", async () => {
    const organization = await createTestOrganization();
    const { user } = await createTestUser({ organizationId: organization.id });
    const { endpoint } = await createTestEndpoint(organization.id, {
      eventTypes: ["user.login", "user.logout"],
    });
    const client = await registerClient();
    const flow = await beginFlow(client);
    const signedIn = await completeAuthorization({
      authRequestId: flow.authRequestId,
      userId: user.id,
      authMethod: "password",
      organizationId: organization.id,
    });
    const code = new URL(signedIn.redirectTo).searchParams.get("code") ?? "";
    // Nothing until the code is exchanged: that is when the sign-in counts as a Success.
    expect(await received(endpoint.id)).toEqual([]);

    const tokens = await exchangeCode(client, code, flow.verifier);
    expect(tokens.status).toBe(200);
    const [login] = await received(endpoint.id);
    expect(login).toMatchObject({
      type: "user.login",
      organization_id: organization.id,
      data: {
        user: { id: user.id, email: user.email },
        auth_request_id: flow.authRequestId,
        client_id: client.clientId,
        auth_method: "password",
        user_agent: "vitest",
      },
    });
    expect(sentIds()).toContain(login.deliveryId);

    const logout = await logoutGet(
      new Request(
        `${ISSUER}/oauth/logout?${new URLSearchParams({
          id_token_hint: tokens.body.id_token,
          post_logout_redirect_uri: POST_LOGOUT_URI,
        })}`,
        { headers: { cookie: `gatehouse_session=${signedIn.session.value}` } },
      ),
    );
    expect(logout.status).toBe(303);
    const events = await received(endpoint.id);
    expect(events.map((event) => event.type)).toEqual(["user.login", "user.logout"]);
    expect(events[1]).toMatchObject({
      organization_id: organization.id,
      data: {
        user: { id: user.id },
        session_id: expect.stringMatching(/^ses_/),
        client_id: client.clientId,
        ended_at: expect.any(String),
      },
    });
  });
});
