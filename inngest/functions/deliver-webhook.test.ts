import { InngestTestEngine, mockCtx } from "@inngest/test";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { env, parseEnv } from "@/lib/env";
import { operatorScope } from "@/lib/organizations/scope";
import { verifyWebhook, type WebhookHeaders } from "@/lib/signing/standard-webhooks";
import { reserveSendSlot, rotateEndpointSecret, updateEndpoint } from "@/lib/webhooks/endpoints";
import type { DeliveryHandoff } from "@/lib/webhooks/outbox";
import { createTestEndpoint, createTestOrganization } from "@/tests/support/factories";
import { startWebhookReceiver, type WebhookReceiver } from "@/tests/support/webhook-receiver";
import { emitPing, readAttempts, readDelivery } from "@/tests/webhooks/support";
import { deliverWebhook } from "./deliver-webhook";

// The schedule under test, parsed from WEBHOOK_RETRY_DELAYS as at start-up.
vi.mock("@/lib/env", async (original) =>
  (await import("@/tests/support/settings")).withSettings(await original(), {
    WEBHOOK_RETRY_DELAYS: "2m, 7m,30m",
  }),
);
const DELAYS_MS = [120_000, 420_000, 1_800_000];

// @inngest/test starts every execution with a new run id; Inngest keeps one per run, and the
// function relies on that (a delivery is claimed by the run that first sends it).
const RUN_ID = "run_under_test";
const withStableRunId = (ctx: Parameters<typeof mockCtx>[0]) => ({
  ...mockCtx(ctx),
  runId: RUN_ID,
});

// An un-mocked step.sleep never resolves in @inngest/test: each wait is mocked as a step.
const sleeps = (...ids: string[]) => ids.map((id) => ({ id, handler: () => {} }));

let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(() => {
  receiver.requests.length = 0;
  receiver.reply({ status: 204 });
});

async function queuedDelivery(overrides: { url?: string } = {}) {
  const organization = await createTestOrganization();
  const { endpoint, secret } = await createTestEndpoint(organization.id, {
    url: overrides.url ?? receiver.url,
  });
  const emitted = await emitPing(organization.id);
  const handoff = emitted.deliveries[0] as DeliveryHandoff;
  return { endpoint, secret, handoff, eventId: emitted.eventId };
}

function engineFor(handoff: DeliveryHandoff) {
  return new InngestTestEngine({
    function: deliverWebhook,
    events: [{ name: "webhooks/delivery.requested", data: handoff }],
    transformCtx: withStableRunId,
  });
}

describe("deliver-webhook", () => {
  it("reads its schedule from WEBHOOK_RETRY_DELAYS (default 1m, 5m, 15m)", () => {
    expect(env.webhookRetryDelaysMs).toEqual(DELAYS_MS);
    expect(parseEnv({}).webhookRetryDelaysMs).toEqual([60_000, 300_000, 900_000]);
    expect(() => parseEnv({ WEBHOOK_RETRY_DELAYS: "1m,soon" })).toThrow(/WEBHOOK_RETRY_DELAYS/);
  });

  it("succeeds on a 2xx at the first attempt, signed, with no wait", async () => {
    const { handoff, secret, eventId } = await queuedDelivery();
    receiver.reply({ status: 200, body: "thanks" });

    const { result, ctx } = await engineFor(handoff).execute();

    expect(result).toEqual({ outcome: "success", attempt: 1, responseStatus: 200 });
    expect(ctx.step.run).toHaveBeenCalledTimes(1);
    expect(ctx.step.run).toHaveBeenCalledWith("attempt-1", expect.any(Function));
    expect(ctx.step.sleep).not.toHaveBeenCalled();

    const delivery = await readDelivery(handoff.deliveryId);
    expect(delivery).toMatchObject({ status: "success", attemptCount: 1, nextAttemptAt: null });
    const [attempt] = await readAttempts(handoff.deliveryId);
    expect(attempt).toMatchObject({
      attempt: 1,
      trigger: "scheduled",
      requestUrl: receiver.url,
      responseStatus: 200,
      responseBody: "thanks",
      responseBodyTruncated: false,
      error: null,
    });
    expect(attempt?.responseHeaders).toMatchObject({ "x-receiver": "test" });

    const [received] = receiver.requests;
    expect(received?.headers["webhook-id"]).toBe(eventId);
    expect(received?.headers["content-type"]).toBe("application/json");
    expect(received?.body).toBe(attempt?.requestBody);
    expect(attempt?.requestHeaders["webhook-signature"]).toBe(
      received?.headers["webhook-signature"],
    );
    const headers = received?.headers as unknown as WebhookHeaders;
    expect(verifyWebhook({ headers, payload: received?.body ?? "", secret })).toBe(true);
    expect(JSON.parse(received?.body ?? "")).toMatchObject({
      id: eventId,
      type: "webhook.test",
      organization_id: expect.any(String),
      occurred_at: expect.any(String),
      data: { message: "ping" },
    });
  });

  it("sleeps exactly the WEBHOOK_RETRY_DELAYS between attempts and ends Failed after the last", async () => {
    const { handoff, eventId } = await queuedDelivery();
    receiver.reply({ status: 500, body: "down" });

    const { result, ctx } = await engineFor(handoff).execute({
      steps: sleeps("wait-1", "wait-2", "wait-3"),
    });

    expect(result).toEqual({ outcome: "failed", attempt: 4, responseStatus: 500, error: null });
    expect(ctx.step.sleep.mock.calls).toEqual([
      ["wait-1", DELAYS_MS[0]],
      ["wait-2", DELAYS_MS[1]],
      ["wait-3", DELAYS_MS[2]],
    ]);
    expect(ctx.step.run.mock.calls.map((call) => call[0])).toEqual([
      "attempt-1",
      "attempt-2",
      "attempt-3",
      "attempt-4",
    ]);
    expect(await readDelivery(handoff.deliveryId)).toMatchObject({
      status: "failed",
      attemptCount: 4,
      nextAttemptAt: null,
    });
    const attempts = await readAttempts(handoff.deliveryId);
    expect(attempts.map((a) => [a.attempt, a.trigger, a.responseStatus])).toEqual([
      [1, "scheduled", 500],
      [2, "scheduled", 500],
      [3, "scheduled", 500],
      [4, "scheduled", 500],
    ]);
    // The same message id on every attempt; a fresh timestamp and signature each time.
    expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"]))).toEqual(
      new Set([eventId]),
    );
  });

  it("writes the delivery's status after every step: Retrying with its next time, then Success", async () => {
    const { handoff } = await queuedDelivery();
    receiver.reply({ status: 503 }, { status: 502 }, { status: 200 });
    expect((await readDelivery(handoff.deliveryId)).status).toBe("queued");
    const t = engineFor(handoff);

    const before1 = Date.now();
    const first = await t.executeStep("attempt-1");
    expect(first.result).toMatchObject({ outcome: "retrying", attempt: 1, responseStatus: 503 });
    const afterFirst = await readDelivery(handoff.deliveryId);
    expect(afterFirst).toMatchObject({ status: "retrying", attemptCount: 1 });
    expectNear(afterFirst.nextAttemptAt, before1 + (DELAYS_MS[0] as number));

    const memoized = [{ id: "attempt-1", handler: () => first.result }, ...sleeps("wait-1")];
    const second = await t.executeStep("attempt-2", { steps: memoized });
    expect(second.result).toMatchObject({ outcome: "retrying", attempt: 2, responseStatus: 502 });
    const afterSecond = await readDelivery(handoff.deliveryId);
    expect(afterSecond).toMatchObject({ status: "retrying", attemptCount: 2 });
    expectNear(afterSecond.nextAttemptAt, Date.now() + (DELAYS_MS[1] as number));

    const { result } = await t.execute({
      steps: [...memoized, { id: "attempt-2", handler: () => second.result }, ...sleeps("wait-2")],
    });
    expect(result).toEqual({ outcome: "success", attempt: 3, responseStatus: 200 });
    expect(await readDelivery(handoff.deliveryId)).toMatchObject({
      status: "success",
      attemptCount: 3,
      nextAttemptAt: null,
    });
    expect((await readAttempts(handoff.deliveryId)).map((a) => a.responseStatus)).toEqual([
      503, 502, 200,
    ]);
  });

  it("records connection and DNS failures as failed attempts, not errors", async () => {
    const refused = await startWebhookReceiver();
    const url = refused.url;
    await refused.close();
    const { handoff } = await queuedDelivery({ url });

    const first = await engineFor(handoff).executeStep("attempt-1");
    expect(first.error).toBeUndefined();
    expect(first.result).toMatchObject({ outcome: "retrying", responseStatus: null });
    const [attempt] = await readAttempts(handoff.deliveryId);
    expect(attempt?.error).toMatch(/^Connection failed: ECONNREFUSED/);
    expect(attempt?.responseStatus).toBeNull();

    const unresolvable = await queuedDelivery({ url: "https://no-such-host.invalid/hook" });
    await engineFor(unresolvable.handoff).executeStep("attempt-1");
    const [dns] = await readAttempts(unresolvable.handoff.deliveryId);
    expect(dns?.error).toMatch(/could not be resolved/);
  });

  it("keeps the first 64 KiB of a large answer and still counts the 2xx", async () => {
    const { handoff } = await queuedDelivery();
    receiver.reply({ status: 200, body: "x".repeat(100 * 1024) });
    const { result } = await engineFor(handoff).execute();
    expect(result).toMatchObject({ outcome: "success" });
    const [attempt] = await readAttempts(handoff.deliveryId);
    expect(attempt?.responseBody).toHaveLength(64 * 1024);
    expect(attempt?.responseBodyTruncated).toBe(true);
  });

  it("signs with both secrets after a rotation, each signature verifying on its own", async () => {
    const { handoff, endpoint, secret: oldSecret } = await queuedDelivery();
    const { secret: newSecret } = await rotateEndpointSecret(operatorScope, endpoint.id);
    await engineFor(handoff).execute();

    const [received] = receiver.requests;
    const signatures = received?.headers["webhook-signature"]?.split(" ") ?? [];
    expect(signatures).toHaveLength(2);
    for (const [signature, secret] of [
      [signatures[0], newSecret],
      [signatures[1], oldSecret],
    ] as const) {
      const headers = { ...received?.headers, "webhook-signature": signature } as WebhookHeaders;
      expect(verifyWebhook({ headers, payload: received?.body ?? "", secret })).toBe(true);
    }
  });

  it("paces an endpoint with a rate limit: takes a send slot before each attempt", async () => {
    const { handoff, endpoint } = await queuedDelivery();
    await updateEndpoint(operatorScope, endpoint.id, { rateLimitPerSecond: 1 });
    // Other sends took the next slots, so this attempt's slot is two seconds away: slept durably.
    expect(await reserveSendSlot(endpoint.id)).toBe(0);
    expect(await reserveSendSlot(endpoint.id)).toBeGreaterThan(900);

    const { result, ctx } = await engineFor({ ...handoff, rateLimitPerSecond: 1 }).execute({
      steps: sleeps("pace-1-wait"),
    });
    expect(result).toMatchObject({ outcome: "success", attempt: 1 });
    expect(ctx.step.run.mock.calls.map((call) => call[0])).toEqual(["pace-1", "attempt-1"]);
    const [[id, waitMs]] = ctx.step.sleep.mock.calls as [[string, number]];
    expect(id).toBe("pace-1-wait");
    expect(waitMs).toBeGreaterThan(1500);
    expect(waitMs).toBeLessThanOrEqual(2000);
  });

  it("waits for a slot under a second away inside the pace step (sleeps are whole seconds)", async () => {
    const { handoff, endpoint } = await queuedDelivery();
    await updateEndpoint(operatorScope, endpoint.id, { rateLimitPerSecond: 4 });
    expect(await reserveSendSlot(endpoint.id)).toBe(0);

    const started = Date.now();
    const { result, ctx } = await engineFor({ ...handoff, rateLimitPerSecond: 4 }).execute();
    expect(result).toMatchObject({ outcome: "success" });
    expect(ctx.step.sleep).not.toHaveBeenCalled();
    expect(receiver.requests[0]?.at ?? 0).toBeGreaterThanOrEqual(started + 150);
  });

  it("steps aside when the delivery was replayed meanwhile or its endpoint deleted", async () => {
    const { handoff } = await queuedDelivery();
    const stale = await engineFor({ ...handoff, sequence: 2 }).execute();
    expect(stale.result).toEqual({ outcome: "skipped", reason: "superseded" });
    expect(receiver.requests).toHaveLength(0);

    const gone = await engineFor({ ...handoff, deliveryId: "dlv_missing" }).execute();
    expect(gone.result).toEqual({ outcome: "skipped", reason: "gone" });
  });

  it("sends nothing to a disabled endpoint and lets the schedule go on", async () => {
    const { handoff, endpoint } = await queuedDelivery();
    await updateEndpoint(operatorScope, endpoint.id, { enabled: false });
    const first = await engineFor(handoff).executeStep("attempt-1");
    expect(first.result).toMatchObject({
      outcome: "retrying",
      error: expect.stringMatching(/disabled/),
    });
    expect(receiver.requests).toHaveLength(0);
  });
});

function expectNear(date: Date | null, expectedMs: number, toleranceMs = 5_000) {
  expect(date).not.toBeNull();
  expect(Math.abs((date as Date).getTime() - expectedMs)).toBeLessThan(toleranceMs);
}
