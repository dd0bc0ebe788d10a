import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "inngest/node";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { WebhookDelivery } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { type EmbeddedEngine, startEmbeddedEngine } from "@/inngest/engine";
import { deliverWebhook } from "@/inngest/functions/deliver-webhook";
import { connection } from "@/lib/db";
import { env, inngestKeys } from "@/lib/env";
import { operatorScope } from "@/lib/organizations/scope";
import { replayDelivery } from "@/lib/webhooks/deliveries";
import { rotateEndpointSecret, updateEndpoint } from "@/lib/webhooks/endpoints";
import { dispatchEvents } from "@/lib/webhooks/outbox";
import { createTestEndpoint, createTestOrganization } from "@/tests/support/factories";
import { startWebhookReceiver, type WebhookReceiver } from "@/tests/support/webhook-receiver";
import { emitPing, readAttempts, readDelivery } from "./support";

// End to end: the app's real delivery function served over HTTP, run by the embedded Inngest
// engine on the test database, delivering to a real receiver on 127.0.0.1 that checks every
// signature with the `standardwebhooks` library. WEBHOOK_RETRY_DELAYS is 1s,1s,1s here.
vi.mock("@/lib/env", async (original) =>
  (await import("@/tests/support/settings")).withSettings(await original(), {
    WEBHOOK_RETRY_DELAYS: "1s,1s,1s",
  }),
);

let engine: EmbeddedEngine;
let app: http.Server;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  app = http.createServer(serve({ client: inngest, functions: [deliverWebhook] }));
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/api/inngest`;
  // As lib/server/start.ts starts it: signed, on the port and with the keys that lib/env gives
  // the app's Inngest client (the test run's own port: see vitest.config.ts).
  engine = await startEmbeddedEngine({
    appUrl,
    db: connection().db,
    port: env.inngest.enginePort,
    ...inngestKeys(),
    environment: `webhooks-${randomUUID()}`,
    backoff: () => 50,
  });
  await engine.sync();
});

afterAll(async () => {
  await engine?.stop();
  app?.closeAllConnections();
  await new Promise((resolve) => app?.close(resolve));
  for (const receiver of receivers) await receiver.close();
});

async function endpointWithReceiver(overrides: { rateLimitPerSecond?: number } = {}) {
  const receiver = await startWebhookReceiver();
  receivers.push(receiver);
  const organization = await createTestOrganization();
  const { endpoint, secret } = await createTestEndpoint(organization.id, {
    url: receiver.url,
    ...overrides,
  });
  return { receiver, organization, endpoint, secret };
}

/** Emits one event as an action would (outbox write, then hand-off); returns its delivery id. */
async function emitAndDispatch(organizationId: string, message = "ping"): Promise<string> {
  const emitted = await emitPing(organizationId, message);
  await dispatchEvents(emitted);
  return emitted.deliveries[0]?.deliveryId ?? "";
}

/** Follows a delivery until it ends, noting each status it was seen in. */
/**
 * Polls a delivery until it is final, noting each status it is seen in. `seenBefore` holds what
 * was read before the hand-off: a first attempt can finish before the first poll, so Queued is
 * only observable reliably from there.
 */
async function followDelivery(deliveryId: string, seenBefore: string[] = []) {
  const timeoutMs = 20_000;
  const seen = [...seenBefore];
  const final = await vi.waitUntil(
    async () => {
      const delivery = await readDelivery(deliveryId);
      if (seen.at(-1) !== delivery.status) seen.push(delivery.status);
      return ["success", "failed"].includes(delivery.status) ? delivery : undefined;
    },
    { timeout: timeoutMs, interval: 25 },
  );
  return { final: final as WebhookDelivery, seen };
}

function verifyAll(receiver: WebhookReceiver, secret: string) {
  const verifier = new Webhook(secret);
  for (const request of receiver.requests) {
    expect(() => verifier.verify(request.body, request.headers)).not.toThrow();
  }
}

describe("webhook delivery through the embedded Inngest engine", () => {
  it("delivers at the first attempt, signed", async () => {
    const { receiver, organization, secret } = await endpointWithReceiver();
    receiver.reply({ status: 200 });
    const deliveryId = await emitAndDispatch(organization.id);

    const { final } = await followDelivery(deliveryId);
    expect(final).toMatchObject({ status: "success", attemptCount: 1 });
    expect(receiver.requests).toHaveLength(1);
    verifyAll(receiver, secret);
    expect((await readAttempts(deliveryId)).map((a) => [a.attempt, a.responseStatus])).toEqual([
      [1, 200],
    ]);
  });

  it("fails twice then succeeds: Queued → Retrying → Success, attempts 1 to 3", async () => {
    const { receiver, organization, secret } = await endpointWithReceiver();
    receiver.reply({ status: 500 }, { status: 503 }, { status: 200 });
    const emitted = await emitPing(organization.id);
    const deliveryId = emitted.deliveries[0]?.deliveryId ?? "";
    const before = (await readDelivery(deliveryId)).status;
    expect(before).toBe("queued");
    await dispatchEvents(emitted);

    const { final, seen } = await followDelivery(deliveryId, [before]);
    expect(seen).toEqual(["queued", "retrying", "success"]);
    expect(final).toMatchObject({ status: "success", attemptCount: 3, nextAttemptAt: null });
    const attempts = await readAttempts(deliveryId);
    expect(attempts.map((a) => [a.attempt, a.trigger, a.responseStatus])).toEqual([
      [1, "scheduled", 500],
      [2, "scheduled", 503],
      [3, "scheduled", 200],
    ]);
    // One message id throughout; the waits of WEBHOOK_RETRY_DELAYS between the attempts.
    expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
    const [first, second, third] = receiver.requests.map((r) => r.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(900);
    expect(third - second).toBeGreaterThanOrEqual(900);
    verifyAll(receiver, secret);
  });

  it("ends Failed after 4 attempts, and a replay of it can end in Success", async () => {
    const { receiver, organization, secret } = await endpointWithReceiver();
    receiver.reply({ status: 500, body: "still down" });
    const emitted = await emitPing(organization.id);
    const deliveryId = emitted.deliveries[0]?.deliveryId ?? "";
    const before = (await readDelivery(deliveryId)).status;
    await dispatchEvents(emitted);

    const { final, seen } = await followDelivery(deliveryId, [before]);
    expect(seen).toEqual(["queued", "retrying", "failed"]);
    expect(final).toMatchObject({ status: "failed", attemptCount: 4, nextAttemptAt: null });
    expect(receiver.requests).toHaveLength(4);

    receiver.reply({ status: 202 });
    const replayed = await replayDelivery(operatorScope, deliveryId);
    expect(replayed).toMatchObject({ status: "queued", sequence: 2 });
    const after = await followDelivery(deliveryId);
    expect(after.final).toMatchObject({ status: "success", attemptCount: 5 });
    const attempts = await readAttempts(deliveryId);
    expect(attempts.map((a) => [a.attempt, a.trigger, a.responseStatus])).toEqual([
      [1, "scheduled", 500],
      [2, "scheduled", 500],
      [3, "scheduled", 500],
      [4, "scheduled", 500],
      [5, "manual", 202],
    ]);
    // The replay is the same message: same webhook-id, same body.
    expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    verifyAll(receiver, secret);
  });

  it("signs with both secrets after a rotation; each signature verifies on its own", async () => {
    const { receiver, organization, endpoint, secret: oldSecret } = await endpointWithReceiver();
    const { secret: newSecret } = await rotateEndpointSecret(operatorScope, endpoint.id);
    const deliveryId = await emitAndDispatch(organization.id);
    await followDelivery(deliveryId);

    const [request] = receiver.requests;
    if (!request) throw new Error("nothing received");
    const signatures = request.headers["webhook-signature"]?.split(" ") ?? [];
    expect(signatures).toHaveLength(2);
    for (const [signature, secret] of [
      [signatures[0], newSecret],
      [signatures[1], oldSecret],
    ] as const) {
      const single = { ...request.headers, "webhook-signature": signature as string };
      expect(() => new Webhook(secret).verify(request.body, single)).not.toThrow();
    }
    const other = { ...request.headers, "webhook-signature": signatures[1] as string };
    expect(() => new Webhook(newSecret).verify(request.body, other)).toThrow();
  });

  it("sends first attempts in creation order per endpoint, at its rate limit", async () => {
    const { receiver, organization, endpoint } = await endpointWithReceiver();
    await updateEndpoint(operatorScope, endpoint.id, { rateLimitPerSecond: 4 });
    const ids: string[] = [];
    for (let n = 0; n < 6; n++) ids.push(await emitAndDispatch(organization.id, `#${n}`));
    for (const id of ids) expect((await followDelivery(id)).final.status).toBe("success");

    const order = receiver.requests.map((r) => JSON.parse(r.body).data.message);
    expect(order).toEqual(["#0", "#1", "#2", "#3", "#4", "#5"]);
    // 4 per second: a slot every 250 ms, and no attempt starts before its slot. An attempt may
    // start after its slot (a busy machine), which brings it closer to the next one; so the
    // check is the rate itself: however late any attempt starts (up to a whole slot), no window
    // between two starts holds more attempts than its slots allow.
    const starts = await Promise.all(
      ids.map(async (id) => (await readAttempts(id))[0]?.startedAt.getTime() as number),
    );
    starts.forEach((earlier, i) => {
      starts.slice(i + 2).forEach((later, offset) => {
        expect(later - earlier).toBeGreaterThanOrEqual((offset + 1) * 250 - 20);
      });
    });
    expect((starts.at(-1) as number) - (starts[0] as number)).toBeGreaterThanOrEqual(1000);
  });
});
