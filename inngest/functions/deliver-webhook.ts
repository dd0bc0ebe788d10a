import { inngest } from "@/inngest/client";
import { deliveryRequested } from "@/inngest/events";
import { attemptDelivery, markDeliveryRunFailed, retryDelaysMs } from "@/lib/webhooks/delivery";
import { takeSendSlot } from "@/lib/webhooks/endpoints";
import { MAX_RATE_LIMIT_PER_SECOND } from "@/lib/webhooks/schema";

/**
 * Delivers one webhook (one event to one endpoint), one run per delivery sequence: attempt 1 at
 * once, then one attempt after each wait of WEBHOOK_RETRY_DELAYS (default 1m, 5m, 15m), then
 * Failed. Each attempt is a step (`attempt-1`, `attempt-2`, …) and each wait a `step.sleep`
 * (`wait-1`, …), so a restart mid-schedule resumes where it was. An endpoint that answers non-2xx,
 * times out or cannot be reached is a recorded result, not a thrown error: the schedule decides.
 *
 * Flow control, per endpoint (`event.data.endpointId`):
 * - `concurrency` 1: one request in flight per endpoint, and queued runs start in the order
 *   their deliveries were created, so first attempts go out in creation order. A run sleeping
 *   between attempts holds no slot, so a failing delivery never blocks the ones behind it. The
 *   price: one endpoint receives at most 1 / (its response time + a step round trip) per second
 *   (see bench/RESULTS.md); other endpoints are not slowed by it.
 * - `throttle`: Inngest's limits are static per function, so this is the ceiling every endpoint
 *   shares (MAX_RATE_LIMIT_PER_SECOND run starts per second).
 * - An endpoint's own `rate_limit_per_second` (anything up to that ceiling, changeable at any
 *   time) is enforced here: before each attempt the run takes the endpoint's next send slot
 *   (`pace-N`, one UPDATE) and sleeps until it (`pace-N-wait`); a wait under a second (Inngest's
 *   sleep resolution) is spent inside `pace-N`. Sleeping frees the worker, and slots are handed
 *   out in the order runs reach them, which concurrency keeps in creation order.
 */
export const deliverWebhook = inngest.createFunction(
  {
    id: "deliver-webhook",
    name: "Deliver a webhook",
    triggers: [deliveryRequested],
    concurrency: { key: "event.data.endpointId", limit: 1 },
    throttle: { key: "event.data.endpointId", limit: MAX_RATE_LIMIT_PER_SECOND, period: "1s" },
    // Retries of a step are for the database only; endpoint failures never throw.
    retries: 4,
    // An attempt and what follows it (the run's end, or the wait before the next attempt) go
    // back to Inngest together: one request per attempt instead of two. Nothing is lost if
    // the answer is: the attempt's row is written inside the step, and a repeated step finds
    // it and reports it instead of sending again (attemptDelivery).
    checkpointing: { bufferedSteps: 2 },
    onFailure: async ({ event }) => {
      const { deliveryId, sequence } = event.data.event.data;
      await markDeliveryRunFailed(deliveryId, sequence);
    },
  },
  async ({ event, step, runId }) => {
    const { deliveryId, endpointId, sequence, firstAttempt, trigger } = event.data;
    const delays = retryDelaysMs();
    let rateLimitPerSecond = event.data.rateLimitPerSecond;
    for (let index = 0; ; index++) {
      const n = index + 1;
      if (rateLimitPerSecond) {
        const waitMs = await step.run(`pace-${n}`, () => takeSendSlot(endpointId));
        if (waitMs > 0) await step.sleep(`pace-${n}-wait`, waitMs);
      }
      const retryDelayMs = delays[index] ?? null;
      const result = await step.run(`attempt-${n}`, () =>
        attemptDelivery({
          deliveryId,
          sequence,
          runId,
          attempt: firstAttempt + index,
          trigger: index === 0 ? trigger : "scheduled",
          retryDelayMs,
        }),
      );
      if (result.outcome !== "retrying" || retryDelayMs === null) return result;
      rateLimitPerSecond = result.rateLimitPerSecond;
      await step.sleep(`wait-${n}`, retryDelayMs);
    }
  },
);
