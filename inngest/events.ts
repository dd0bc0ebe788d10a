import { eventType } from "inngest";
import { z } from "zod";
import { attemptTriggers } from "@/constants/webhooks";

/**
 * Every event the app sends to Inngest, declared once: the trigger of the functions that react
 * to it and the constructor used by the code that sends it.
 */

/**
 * A webhook delivery (one event for one endpoint) is ready for its next sequence of attempts.
 * Sent with the delivery id as the event id (a replay's sequence adds a suffix), so a re-sent
 * hand-off never starts a second run.
 */
export const deliveryRequested = eventType("webhooks/delivery.requested", {
  schema: z.object({
    deliveryId: z.string(),
    endpointId: z.string(),
    // 1 for the first run, then one more per replay; a run of an older sequence steps aside.
    sequence: z.number().int().min(1),
    // The number the first attempt of this sequence gets (attempts count on across replays).
    firstAttempt: z.number().int().min(1),
    trigger: z.enum(attemptTriggers),
    // The endpoint's own rate limit when the hand-off was made; later attempts use the value
    // read by the previous attempt.
    rateLimitPerSecond: z.number().int().min(1).nullable(),
  }),
});

export type DeliveryRequestedData = z.infer<typeof deliveryRequested.schema>;
