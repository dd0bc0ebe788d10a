import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { webhookEvents } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { db } from "@/lib/db";
import { operatorScope } from "@/lib/organizations/scope";
import { createTestEndpoint, createTestOrganization } from "@/tests/support/factories";
import { deliveriesOfEvent, emitPing, readDelivery, readEventBody } from "@/tests/webhooks/support";
import { assertEventData, describeEventTypes, webhookEventTypes } from "./catalog";
import { deleteEndpoint } from "./endpoints";
import { dispatchEvents, emitEvent, handoffEventId, redispatchPendingDeliveries } from "./outbox";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("emitEvent", () => {
  it("queues one delivery per enabled endpoint that wants the type, in its organization or the operator's", async () => {
    const organization = await createTestOrganization();
    const other = await createTestOrganization();
    const all = await createTestEndpoint(organization.id);
    const pingOnly = await createTestEndpoint(organization.id, { eventTypes: ["webhook.test"] });
    await createTestEndpoint(organization.id, { eventTypes: ["user.login"] });
    await createTestEndpoint(organization.id, { enabled: false });
    await createTestEndpoint(other.id);
    // Operator endpoints see every organization; this one only pings, so other tests sharing
    // the database are not affected while it exists.
    const operator = await createTestEndpoint(null, { eventTypes: ["webhook.test"] });
    try {
      const emitted = await emitPing(organization.id, "hello");

      // In the endpoints' order, each delivery created after the one before.
      expect(emitted.deliveries.map((d) => d.endpointId)).toEqual([
        all.endpoint.id,
        pingOnly.endpoint.id,
        operator.endpoint.id,
      ]);
      const rows = await Promise.all(emitted.deliveries.map((d) => readDelivery(d.deliveryId)));
      const created = rows.map((row) => row.createdAt.getTime());
      expect(created).toEqual([...created].sort((a, b) => a - b));
      for (const handoff of emitted.deliveries) {
        expect(handoff.deliveryId).toMatch(/^dlv_[0-9a-hjkmnp-tv-z]{26}$/);
        expect(handoff).toMatchObject({ sequence: 1, firstAttempt: 1, trigger: "scheduled" });
        expect(await readDelivery(handoff.deliveryId)).toMatchObject({
          status: "queued",
          attemptCount: 0,
          eventId: emitted.eventId,
          eventType: "webhook.test",
          dispatchedAt: null,
        });
      }
      expect(await readEventBody(emitted.eventId)).toEqual({
        id: emitted.eventId,
        type: "webhook.test",
        occurred_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        organization_id: organization.id,
        data: { endpoint_id: "ep_any", message: "hello" },
      });
    } finally {
      await deleteEndpoint(operatorScope, operator.endpoint.id);
    }
  });

  it("writes nothing when no endpoint wants the event", async () => {
    const organization = await createTestOrganization();
    await createTestEndpoint(organization.id, { eventTypes: ["user.logout"] });
    const emitted = await emitPing(organization.id);
    expect(emitted.deliveries).toEqual([]);
    expect(
      await db.select().from(webhookEvents).where(eq(webhookEvents.id, emitted.eventId)),
    ).toEqual([]);
  });

  it("is part of the caller's transaction: a rollback leaves no event and no delivery", async () => {
    const organization = await createTestOrganization();
    await createTestEndpoint(organization.id);
    let eventId = "";
    await expect(
      db.transaction(async (tx) => {
        const emitted = await emitEvent(tx, {
          type: "webhook.test",
          organizationId: organization.id,
          data: { endpoint_id: "ep_any", message: "rolled back" },
        });
        eventId = emitted.eventId;
        expect(emitted.deliveries).toHaveLength(1);
        throw new Error("the action failed");
      }),
    ).rejects.toThrow("the action failed");
    expect(await readEventBody(eventId)).toBeUndefined();
    expect(await deliveriesOfEvent(eventId)).toEqual([]);
  });

  it("refuses data that does not fit the catalog (a bug, not input)", async () => {
    await expect(
      db.transaction((tx) =>
        emitEvent(tx, {
          type: "organization.created",
          organizationId: null,
          data: { organization: { id: "org_x" } } as never,
        }),
      ),
    ).rejects.toThrow(/Malformed organization.created data/);
  });
});

describe("dispatch", () => {
  it("hands each delivery to Inngest with the delivery id as the event id, then marks it dispatched", async () => {
    const send = vi.spyOn(inngest, "send").mockResolvedValue({ ids: [] } as never);
    const organization = await createTestOrganization();
    const { endpoint } = await createTestEndpoint(organization.id);
    const emitted = await emitPing(organization.id);
    const [handoff] = emitted.deliveries;

    await dispatchEvents(emitted);

    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]?.[0]).toEqual([
      expect.objectContaining({
        name: "webhooks/delivery.requested",
        id: handoff?.deliveryId,
        data: {
          deliveryId: handoff?.deliveryId,
          endpointId: endpoint.id,
          sequence: 1,
          firstAttempt: 1,
          trigger: "scheduled",
          rateLimitPerSecond: null,
        },
      }),
    ]);
    expect((await readDelivery(handoff?.deliveryId ?? "")).dispatchedAt).toBeInstanceOf(Date);
  });

  it("sends the hand-offs of concurrent actions in one request, and marks each dispatched", async () => {
    const send = vi.spyOn(inngest, "send").mockResolvedValue({ ids: [] } as never);
    const organization = await createTestOrganization();
    await createTestEndpoint(organization.id);
    await createTestEndpoint(organization.id);
    const first = await emitPing(organization.id, "first");
    const second = await emitPing(organization.id, "second");

    await Promise.all([dispatchEvents(first), dispatchEvents(second)]);

    expect(send).toHaveBeenCalledTimes(1);
    const handoffs = [...first.deliveries, ...second.deliveries];
    expect(handoffs).toHaveLength(4);
    const sent = (send.mock.calls[0]?.[0] ?? []) as { id: string }[];
    expect(sent.map((event) => event.id)).toEqual(handoffs.map((handoff) => handoff.deliveryId));
    for (const handoff of handoffs) {
      expect((await readDelivery(handoff.deliveryId)).dispatchedAt).toBeInstanceOf(Date);
    }
  });

  it("tells every action of a batch when its send fails, and leaves all of it to the sweep", async () => {
    const organization = await createTestOrganization();
    await createTestEndpoint(organization.id);
    const first = await emitPing(organization.id, "first");
    const second = await emitPing(organization.id, "second");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const send = vi.spyOn(inngest, "send").mockRejectedValue(new Error("connect ECONNREFUSED"));

    await Promise.all([dispatchEvents(first), dispatchEvents(second)]);

    expect(send).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledTimes(2);
    for (const handoff of [...first.deliveries, ...second.deliveries]) {
      expect((await readDelivery(handoff.deliveryId)).dispatchedAt).toBeNull();
    }
  });

  it("never fails the action when Inngest is unreachable; the sweep sends the delivery later", async () => {
    const organization = await createTestOrganization();
    await createTestEndpoint(organization.id, { rateLimitPerSecond: 5 });
    const emitted = await emitPing(organization.id);
    const deliveryId = emitted.deliveries[0]?.deliveryId ?? "";
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const send = vi.spyOn(inngest, "send").mockResolvedValue({ ids: [] } as never);
    send.mockRejectedValueOnce(new Error("connect ECONNREFUSED"));

    await expect(dispatchEvents(emitted)).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalled();
    expect((await readDelivery(deliveryId)).dispatchedAt).toBeNull();

    // Too recent for the sweep (its own hand-off may still be under way)…
    send.mockClear();
    await redispatchPendingDeliveries();
    const sentIds = () =>
      send.mock.calls.flatMap((call) => (call[0] as { id: string }[]).map((e) => e.id));
    expect(sentIds()).not.toContain(deliveryId);
    // …but once it has waited long enough, it is sent again, with the same event id.
    await redispatchPendingDeliveries({ olderThanMs: 0 });
    expect(sentIds()).toContain(deliveryId);
    const event = send.mock.calls
      .flatMap((call) => call[0] as { id: string; data: unknown }[])
      .find((e) => e.id === deliveryId);
    expect(event?.data).toMatchObject({ sequence: 1, firstAttempt: 1, rateLimitPerSecond: 5 });
    expect((await readDelivery(deliveryId)).dispatchedAt).toBeInstanceOf(Date);
  });

  it("names a replay's hand-off after its sequence, so replays are not deduplicated away", () => {
    expect(handoffEventId("dlv_1", 1)).toBe("dlv_1");
    expect(handoffEventId("dlv_1", 2)).toBe("dlv_1-replay-1");
  });
});

describe("catalog", () => {
  it("describes every type with a JSON Schema and an example that fits it", () => {
    const described = describeEventTypes();
    expect(described.map((entry) => entry.type)).toEqual([
      "user.signup",
      "user.login",
      "user.logout",
      "organization.created",
      "organization.updated",
      "organization.deleted",
      "organization.directory.user_created",
      "organization.directory.user_updated",
      "organization.directory.user_deleted",
      "organization.membership_created",
      "webhook.test",
    ]);
    expect(webhookEventTypes).toHaveLength(11);
    for (const entry of described) {
      expect(entry.description.length).toBeGreaterThan(10);
      expect(entry.schema).toMatchObject({
        type: "object",
        required: expect.arrayContaining(["id", "type", "occurred_at", "organization_id", "data"]),
      });
      expect(entry.example.type).toBe(entry.type);
      expect(() => assertEventData(entry.type, entry.example.data)).not.toThrow();
    }
  });
});
