import { eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as deliveryReplayRoute from "@/app/api/v1/webhooks/deliveries/[id]/replay/route";
import * as deliveryRoute from "@/app/api/v1/webhooks/deliveries/[id]/route";
import * as deliveriesRoute from "@/app/api/v1/webhooks/endpoints/[id]/deliveries/route";
import * as endpointReplayRoute from "@/app/api/v1/webhooks/endpoints/[id]/replay/route";
import * as rotateRoute from "@/app/api/v1/webhooks/endpoints/[id]/rotate-secret/route";
import * as endpointRoute from "@/app/api/v1/webhooks/endpoints/[id]/route";
import * as secretRoute from "@/app/api/v1/webhooks/endpoints/[id]/secret/route";
import * as testRoute from "@/app/api/v1/webhooks/endpoints/[id]/test/route";
import * as endpointsRoute from "@/app/api/v1/webhooks/endpoints/route";
import * as eventTypesRoute from "@/app/api/v1/webhooks/event-types/route";
import type { DeliveryStatus } from "@/constants/webhooks";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { db } from "@/lib/db";
import { attemptDelivery } from "@/lib/webhooks/delivery";
import { signingSecrets } from "@/lib/webhooks/endpoints";
import { call, fields, operatorKey, organizationKey } from "@/tests/api/support";
import { createTestOrganization } from "@/tests/support/factories";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";
import { emitPing, emitTestEvent } from "./support";

let send: ReturnType<typeof spyOnSend>;
const spyOnSend = () => vi.spyOn(inngest, "send").mockResolvedValue({ ids: [] } as never);
const sentEvents = () =>
  send.mock.calls.flatMap((args) => args[0] as unknown as { id: string; data: unknown }[]);

beforeEach(() => {
  send = spyOnSend();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function tenant() {
  const organization = await createTestOrganization();
  return { organization, key: await organizationKey(organization.id) };
}

async function createEndpointVia(key: string, body: Record<string, unknown> = {}) {
  const response = await call(endpointsRoute.POST, {
    path: "/api/v1/webhooks/endpoints",
    key,
    body: { url: "https://hooks.example.com/in", ...body },
  });
  expect(response.status).toBe(201);
  return response.body;
}

const at = (id: string) => ({ id });

describe("/api/v1/webhooks/endpoints", () => {
  it("creates, reads, lists, edits, disables and deletes an endpoint; the secret only at creation", async () => {
    const { organization, key } = await tenant();
    const created = await createEndpointVia(key, {
      description: "CRM sync",
      event_types: ["user.signup", "user.login"],
      rate_limit_per_second: 10,
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^ep_/),
      organization_id: organization.id,
      url: "https://hooks.example.com/in",
      description: "CRM sync",
      event_types: ["user.signup", "user.login"],
      rate_limit_per_second: 10,
      enabled: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const path = `/api/v1/webhooks/endpoints/${created.id}`;

    const read = await call(endpointRoute.GET, { path, key, params: at(created.id) });
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty("secret");
    expect(read.body.url).toBe(created.url);

    const listed = await call(endpointsRoute.GET, { path: "/api/v1/webhooks/endpoints", key });
    expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual([created.id]);
    expect(listed.body.next_cursor).toBeNull();

    const edited = await call(endpointRoute.PATCH, {
      path,
      key,
      method: "PATCH",
      params: at(created.id),
      body: { event_types: null, rate_limit_per_second: null, enabled: false, description: null },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      event_types: null,
      rate_limit_per_second: null,
      enabled: false,
      description: null,
    });

    const enabled = await call(endpointRoute.PATCH, {
      path,
      key,
      method: "PATCH",
      params: at(created.id),
      body: { enabled: true, url: "https://other.example.com/hook" },
    });
    expect(enabled.body).toMatchObject({ enabled: true, url: "https://other.example.com/hook" });

    const deleted = await call(endpointRoute.DELETE, {
      path,
      key,
      method: "DELETE",
      params: at(created.id),
    });
    expect(deleted.status).toBe(204);
    const gone = await call(endpointRoute.GET, { path, key, params: at(created.id) });
    expect(gone.status).toBe(404);
  });

  it("answers 422 naming each invalid field", async () => {
    const { key } = await tenant();
    const response = await call(endpointsRoute.POST, {
      path: "/api/v1/webhooks/endpoints",
      key,
      body: {
        url: 7,
        event_types: ["user.login", "user.teleported"],
        rate_limit_per_second: 0,
        enabled: "yes",
        colour: "blue",
      },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(fields(response)).toEqual([
      "colour",
      "enabled",
      "event_types[1]",
      "rate_limit_per_second",
      "url",
    ]);

    const empty = await call(endpointsRoute.POST, {
      path: "/api/v1/webhooks/endpoints",
      key,
      body: { url: "https://hooks.example.com/in", event_types: [], rate_limit_per_second: 51 },
    });
    expect(fields(empty)).toEqual(["event_types", "rate_limit_per_second"]);

    const endpoint = await createEndpointVia(key);
    const noChange = await call(endpointRoute.PATCH, {
      path: `/api/v1/webhooks/endpoints/${endpoint.id}`,
      key,
      method: "PATCH",
      params: at(endpoint.id),
      body: {},
    });
    expect(noChange.status).toBe(422);
  });

  it("keeps tenants apart: another organization's endpoints answer 404", async () => {
    const a = await tenant();
    const b = await tenant();
    const endpointOfB = await createEndpointVia(b.key);
    const params = at(endpointOfB.id);
    const path = `/api/v1/webhooks/endpoints/${endpointOfB.id}`;

    for (const [handler, method] of [
      [endpointRoute.GET, "GET"],
      [secretRoute.GET, "GET"],
      [rotateRoute.POST, "POST"],
      [testRoute.POST, "POST"],
      [deliveriesRoute.GET, "GET"],
      [endpointRoute.DELETE, "DELETE"],
    ] as const) {
      const response = await call(handler, { path, key: a.key, method, params });
      expect(response.status, `${method} ${handler.name}`).toBe(404);
    }
    const patched = await call(endpointRoute.PATCH, {
      path,
      key: a.key,
      method: "PATCH",
      params,
      body: { enabled: false },
    });
    expect(patched.status).toBe(404);

    const listedByA = await call(endpointsRoute.GET, {
      path: "/api/v1/webhooks/endpoints",
      key: a.key,
    });
    expect(listedByA.body.data).toEqual([]);

    const intoB = await call(endpointsRoute.POST, {
      path: "/api/v1/webhooks/endpoints",
      key: a.key,
      body: { url: "https://hooks.example.com/in", organization_id: b.organization.id },
    });
    expect(intoB.body.errors).toEqual([{ field: "organization_id", message: "does not exist" }]);
    const operatorWide = await call(endpointsRoute.POST, {
      path: "/api/v1/webhooks/endpoints",
      key: a.key,
      body: { url: "https://hooks.example.com/in", organization_id: null },
    });
    expect(fields(operatorWide)).toEqual(["organization_id"]);

    // The operator sees every tenant's endpoints and may create one for any organization.
    const operator = await operatorKey();
    const seen = await call(endpointRoute.GET, { path, key: operator, params });
    expect(seen.status).toBe(200);
    const forA = await createEndpointVia(operator, { organization_id: a.organization.id });
    expect(forA.organization_id).toBe(a.organization.id);
    const unknown = await call(endpointsRoute.POST, {
      path: "/api/v1/webhooks/endpoints",
      key: operator,
      body: { url: "https://hooks.example.com/in", organization_id: "org_nope" },
    });
    expect(unknown.body.errors).toEqual([{ field: "organization_id", message: "does not exist" }]);
  });

  it("reveals the secret on demand and rotates it, the old one signing alongside for 24 hours", async () => {
    const { key } = await tenant();
    const created = await createEndpointVia(key);
    const path = `/api/v1/webhooks/endpoints/${created.id}/secret`;

    const revealed = await call(secretRoute.GET, { path, key, params: at(created.id) });
    expect(revealed.body).toEqual({ secret: created.secret, previous_secret_expires_at: null });

    const rotated = await call(rotateRoute.POST, {
      path: `/api/v1/webhooks/endpoints/${created.id}/rotate-secret`,
      key,
      method: "POST",
      params: at(created.id),
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);
    const expires = Date.parse(rotated.body.previous_secret_expires_at);
    expect(Math.abs(expires - (Date.now() + 24 * 3_600_000))).toBeLessThan(60_000);

    const again = await call(secretRoute.GET, { path, key, params: at(created.id) });
    expect(again.body.secret).toBe(rotated.body.secret);

    const [row] = await db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, created.id));
    if (!row) throw new Error("endpoint missing");
    expect(signingSecrets(row)).toEqual([rotated.body.secret, created.secret]);
    expect(signingSecrets(row, new Date(expires + 1000))).toEqual([rotated.body.secret]);
  });
});

describe("/api/v1/webhooks/event-types", () => {
  it("lists the catalog to any API key, and to nobody else", async () => {
    const { key } = await tenant();
    const response = await call(eventTypesRoute.GET, { path: "/api/v1/webhooks/event-types", key });
    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(11);
    expect(response.body.data[1]).toMatchObject({
      type: "user.login",
      description: expect.any(String),
      schema: expect.objectContaining({ type: "object" }),
      example: expect.objectContaining({ type: "user.login", data: expect.any(Object) }),
    });
    const anonymous = await call(eventTypesRoute.GET, { path: "/api/v1/webhooks/event-types" });
    expect(anonymous.status).toBe(401);
  });
});

describe("delivery log", () => {
  async function endpointWithDeliveries() {
    const { organization, key } = await tenant();
    const endpoint = await createEndpointVia(key);
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) {
      const emitted = await emitPing(organization.id, `ping ${n}`);
      ids.push(emitted.deliveries[0]?.deliveryId ?? "");
    }
    const signup = await emitTestEvent("user.signup", organization.id, {
      user: {
        id: "usr_x",
        email: "ada@example.com",
        name: null,
        email_verified_at: null,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      },
    });
    ids.push(signup.deliveries[0]?.deliveryId ?? "");
    return { organization, key, endpoint, ids };
  }

  async function setStatus(ids: string[], status: DeliveryStatus, attemptCount = 4) {
    await db
      .update(webhookDeliveries)
      .set({ status, attemptCount })
      .where(inArray(webhookDeliveries.id, ids));
  }

  it("lists an endpoint's deliveries newest first with status, type and time filters and cursors", async () => {
    const { key, endpoint, ids } = await endpointWithDeliveries();
    const [d0, d1, d2, d3, signup] = ids as [string, string, string, string, string];
    await setStatus([d0, d2], "failed");
    await setStatus([d1], "success", 1);
    const path = `/api/v1/webhooks/endpoints/${endpoint.id}/deliveries`;
    const list = (query: string) =>
      call(deliveriesRoute.GET, { path: `${path}?${query}`, key, params: at(endpoint.id) });

    const all = await list("");
    expect(all.status).toBe(200);
    expect(all.body.data.map((d: { id: string }) => d.id)).toEqual([signup, d3, d2, d1, d0]);
    expect(all.body.data[0]).toEqual({
      id: signup,
      status: "queued",
      event_id: expect.stringMatching(/^evt_/),
      event_type: "user.signup",
      attempt_count: 0,
      next_attempt_at: null,
      created_at: expect.any(String),
    });

    const finished = await list("status=failed&status=success");
    expect(finished.body.data.map((d: { id: string }) => d.id)).toEqual([d2, d1, d0]);
    const pings = await list("event_type=webhook.test&status=queued");
    expect(pings.body.data.map((d: { id: string }) => d.id)).toEqual([d3]);

    const first = await list("limit=2");
    expect(first.body.data.map((d: { id: string }) => d.id)).toEqual([signup, d3]);
    const second = await list(`limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.data.map((d: { id: string }) => d.id)).toEqual([d2, d1]);
    const third = await list(`limit=2&cursor=${second.body.next_cursor}`);
    expect(third.body.data.map((d: { id: string }) => d.id)).toEqual([d0]);
    expect(third.body.next_cursor).toBeNull();

    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await list(`from=${encodeURIComponent(future)}`)).body.data).toEqual([]);
    expect((await list(`to=${encodeURIComponent(future)}`)).body.data).toHaveLength(5);

    const bad = await list("status=lost&event_type=user.teleported&from=yesterday&limit=0");
    expect(bad.status).toBe(422);
    expect(fields(bad)).toEqual(["event_type", "from", "limit", "status"]);
    expect(bad.body.errors).toContainEqual({
      field: "status",
      message: 'must be one of "queued", "retrying", "success", "failed"',
    });
  });

  it("shows one delivery with each attempt's request and response", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const { organization, key } = await tenant();
      const endpoint = await createEndpointVia(key, { url: receiver.url });
      const emitted = await emitPing(organization.id);
      const deliveryId = emitted.deliveries[0]?.deliveryId ?? "";
      receiver.reply({ status: 500, body: "oops" });
      await attemptDelivery({
        deliveryId,
        sequence: 1,
        runId: "run_1",
        attempt: 1,
        trigger: "scheduled",
        retryDelayMs: 60_000,
      });

      const response = await call(deliveryRoute.GET, {
        path: `/api/v1/webhooks/deliveries/${deliveryId}`,
        key,
        params: at(deliveryId),
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: deliveryId,
        endpoint_id: endpoint.id,
        status: "retrying",
        attempt_count: 1,
        next_attempt_at: expect.any(String),
      });
      expect(response.body.attempts).toEqual([
        {
          attempt: 1,
          trigger: "scheduled",
          started_at: expect.any(String),
          request_url: receiver.url,
          request_headers: expect.objectContaining({
            "content-type": "application/json",
            "webhook-id": emitted.eventId,
            "webhook-timestamp": expect.stringMatching(/^\d+$/),
            "webhook-signature": expect.stringMatching(/^v1,[A-Za-z0-9+/]+=*$/),
          }),
          request_body: receiver.requests[0]?.body,
          response_status: 500,
          response_headers: expect.objectContaining({ "x-receiver": "test" }),
          response_body: "oops",
          response_body_truncated: false,
          duration_ms: expect.any(Number),
          error: null,
        },
      ]);

      const other = await tenant();
      const hidden = await call(deliveryRoute.GET, {
        path: `/api/v1/webhooks/deliveries/${deliveryId}`,
        key: other.key,
        params: at(deliveryId),
      });
      expect(hidden.status).toBe(404);
    } finally {
      await receiver.close();
    }
  });

  it("replays a finished delivery as a new manual sequence, and refuses one still in progress", async () => {
    const { key, ids } = await endpointWithDeliveries();
    const [queued, failed] = ids as [string, string];
    await setStatus([failed], "failed", 4);
    const replay = (id: string, withKey = key) =>
      call(deliveryReplayRoute.POST, {
        path: `/api/v1/webhooks/deliveries/${id}/replay`,
        key: withKey,
        method: "POST",
        params: at(id),
      });

    const busy = await replay(queued);
    expect(busy.status).toBe(409);

    const other = await tenant();
    expect((await replay(failed, other.key)).status).toBe(404);

    const replayed = await replay(failed);
    expect(replayed.status).toBe(202);
    expect(replayed.body).toMatchObject({ id: failed, status: "queued", attempt_count: 4 });
    expect(sentEvents()).toEqual([
      expect.objectContaining({
        name: "webhooks/delivery.requested",
        id: `${failed}-replay-1`,
        data: expect.objectContaining({
          deliveryId: failed,
          sequence: 2,
          firstAttempt: 5,
          trigger: "manual",
        }),
      }),
    ]);
    // A second replay at once finds it queued again.
    expect((await replay(failed)).status).toBe(409);
  });

  it("replays every Failed delivery of an endpoint matching since, until and event_type", async () => {
    const { key, endpoint, ids } = await endpointWithDeliveries();
    const [d0, d1, stillQueued, d3, signup] = ids as [string, string, string, string, string];
    await setStatus([d0, d1, d3, signup], "failed");
    const created = await db
      .select({ id: webhookDeliveries.id, createdAt: webhookDeliveries.createdAt })
      .from(webhookDeliveries)
      .where(inArray(webhookDeliveries.id, ids));
    const createdAt = new Map(created.map((row) => [row.id, row.createdAt]));
    const path = `/api/v1/webhooks/endpoints/${endpoint.id}/replay`;

    const response = await call(endpointReplayRoute.POST, {
      path,
      key,
      params: at(endpoint.id),
      body: {
        since: createdAt.get(d1)?.toISOString(),
        event_type: "webhook.test",
      },
    });
    expect(response.status).toBe(202);
    expect(response.body.replayed).toBe(2);
    expect([...response.body.delivery_ids].sort()).toEqual([d1, d3].sort());
    expect(
      sentEvents()
        .map((event) => event.id)
        .sort(),
    ).toEqual([`${d1}-replay-1`, `${d3}-replay-1`].sort());

    const rest = await call(endpointReplayRoute.POST, {
      path,
      key,
      method: "POST",
      params: at(endpoint.id),
    });
    expect(rest.body.delivery_ids.sort()).toEqual([d0, signup].sort());
    expect(rest.body.delivery_ids).not.toContain(stillQueued);

    const invalid = await call(endpointReplayRoute.POST, {
      path,
      key,
      params: at(endpoint.id),
      body: { since: "last week", status: "failed" },
    });
    expect(fields(invalid)).toEqual(["since", "status"]);
  });

  it("sends a test event to one endpoint on demand, but not to a disabled one", async () => {
    const { key } = await tenant();
    const endpoint = await createEndpointVia(key, { event_types: ["user.login"] });
    const path = `/api/v1/webhooks/endpoints/${endpoint.id}/test`;

    const response = await call(testRoute.POST, {
      path,
      key,
      method: "POST",
      params: at(endpoint.id),
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ event_type: "webhook.test", status: "queued" });
    expect(sentEvents()).toEqual([
      expect.objectContaining({
        id: response.body.id,
        data: expect.objectContaining({ endpointId: endpoint.id }),
      }),
    ]);

    await call(endpointRoute.PATCH, {
      path: `/api/v1/webhooks/endpoints/${endpoint.id}`,
      key,
      method: "PATCH",
      params: at(endpoint.id),
      body: { enabled: false },
    });
    const refused = await call(testRoute.POST, {
      path,
      key,
      method: "POST",
      params: at(endpoint.id),
    });
    expect(refused.status).toBe(409);
  });
});
