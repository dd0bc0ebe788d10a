import { inngest } from "@/inngest/client";
import { REDISPATCH_BATCH, redispatchPendingDeliveries } from "@/lib/webhooks/outbox";

// After an outage the backlog can be large: up to this many batches per sweep.
const MAX_BATCHES = 20;

/**
 * The outbox's safety net: every minute, hands to Inngest the webhook deliveries whose hand-off
 * after their commit did not go through (Inngest unreachable, process killed in between). Event
 * ids are delivery ids, so a delivery that did reach Inngest is not started twice.
 */
export const redispatchWebhookDeliveries = inngest.createFunction(
  {
    id: "redispatch-webhook-deliveries",
    name: "Re-send webhook deliveries that were never handed over",
    triggers: [{ cron: "* * * * *" }],
    // One sweep at a time; a slow one must not overlap the next minute's.
    concurrency: 1,
  },
  async ({ step }) => {
    let sent = 0;
    for (let batch = 1; batch <= MAX_BATCHES; batch++) {
      const count = await step.run(`redispatch-${batch}`, () => redispatchPendingDeliveries());
      sent += count;
      if (count < REDISPATCH_BATCH) break;
    }
    return { sent };
  },
);
