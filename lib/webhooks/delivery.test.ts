import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEndpoint, createTestOrganization } from "@/tests/support/factories";
import { startWebhookReceiver, type WebhookReceiver } from "@/tests/support/webhook-receiver";
import { emitPing, readAttempts, readDelivery } from "@/tests/webhooks/support";
import { type AttemptInput, attemptDelivery, markDeliveryRunFailed } from "./delivery";

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
});

async function queued() {
  const organization = await createTestOrganization();
  await createTestEndpoint(organization.id, { url: receiver.url });
  const emitted = await emitPing(organization.id);
  return emitted.deliveries[0]?.deliveryId ?? "";
}

const input = (deliveryId: string, overrides: Partial<AttemptInput> = {}): AttemptInput => ({
  deliveryId,
  sequence: 1,
  runId: "run_a",
  attempt: 1,
  trigger: "scheduled",
  retryDelayMs: 60_000,
  ...overrides,
});

describe("attemptDelivery", () => {
  it("does not send again when its step runs twice (Inngest runs steps at least once)", async () => {
    const deliveryId = await queued();
    receiver.reply({ status: 500 });
    const first = await attemptDelivery(input(deliveryId));
    const sent = receiver.requests.length;
    // The process died after the attempt was recorded but before Inngest stored the result.
    const again = await attemptDelivery(input(deliveryId));
    expect(again).toEqual(first);
    expect(receiver.requests.length).toBe(sent);
    expect(await readAttempts(deliveryId)).toHaveLength(1);
  });

  // Text columns cannot hold NUL, and nothing stops an endpoint from answering with binary.
  it("records a response body holding NUL bytes, with each NUL shown as U+FFFD", async () => {
    const deliveryId = await queued();
    receiver.reply({ status: 200, body: "ok\u0000\u0000done" });
    const result = await attemptDelivery(input(deliveryId));
    expect(result).toMatchObject({ outcome: "success", responseStatus: 200 });
    const [attempt] = await readAttempts(deliveryId);
    expect(attempt?.responseBody).toBe("ok\uFFFD\uFFFDdone");
    expect((await readDelivery(deliveryId)).status).toBe("success");
  });

  it("leaves a delivery claimed by one run to that run", async () => {
    const deliveryId = await queued();
    receiver.reply({ status: 500 });
    await attemptDelivery(input(deliveryId, { runId: "run_a" }));
    const duplicate = await attemptDelivery(input(deliveryId, { runId: "run_b", attempt: 2 }));
    expect(duplicate).toEqual({ outcome: "skipped", reason: "superseded" });
    expect((await readDelivery(deliveryId)).attemptCount).toBe(1);
  });
});

describe("markDeliveryRunFailed", () => {
  it("ends a delivery whose run gave up as Failed, leaving finished ones alone", async () => {
    const deliveryId = await queued();
    await markDeliveryRunFailed(deliveryId, 1);
    expect(await readDelivery(deliveryId)).toMatchObject({ status: "failed", nextAttemptAt: null });

    const delivered = await queued();
    receiver.reply({ status: 200 });
    await attemptDelivery(input(delivered));
    await markDeliveryRunFailed(delivered, 1);
    expect((await readDelivery(delivered)).status).toBe("success");
  });
});
