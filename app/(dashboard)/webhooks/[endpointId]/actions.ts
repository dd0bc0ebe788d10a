"use server";

import { z } from "zod";
import { dashboardAction } from "@/lib/dashboard/action";
import { textWithoutNul } from "@/lib/validation";
import { replayDelivery, replayFailedDeliveries } from "@/lib/webhooks/deliveries";
import { endpointReplaySchema } from "@/lib/webhooks/schema";

/*
 * Replays from the delivery log, through dashboardAction: lib/webhooks reads the delivery or
 * endpoint through the viewer's Scope, so another tenant's ids answer as not found, whatever the
 * browser sends. Results are plain data for a toast; the page picks the new attempts up by
 * polling.
 */

const id = textWithoutNul().max(200);

/** Replays one finished delivery (Success or Failed) as a new manual attempt sequence. */
export const replayDeliveryAction = dashboardAction(
  {
    page: "/webhooks",
    schema: z.strictObject({ delivery_id: id }),
    notFound: "Webhook delivery was not found",
    ids: ["delivery_id"],
  },
  async (input, viewer) => {
    await replayDelivery(viewer.scope, input.delivery_id);
    return { replayed: 1, message: "Replay started: a new attempt is on its way" };
  },
);

/**
 * Replays every Failed delivery of the endpoint in the view's time range and event type, the
 * same `since`/`until`/`event_type` (both ends inclusive) the management API's endpoint replay
 * takes and the page counted for its confirmation.
 */
export const replayFailedInViewAction = dashboardAction(
  {
    page: "/webhooks",
    schema: z.strictObject({ endpoint_id: id, filter: endpointReplaySchema }),
    notFound: "Webhook endpoint was not found",
    ids: ["endpoint_id"],
  },
  async (input, viewer) => {
    const replayed = await replayFailedDeliveries(viewer.scope, input.endpoint_id, input.filter);
    const count = replayed.length;
    return {
      replayed: count,
      message:
        count === 0
          ? "Nothing to replay: no failed deliveries match this view any more"
          : `Replaying ${count} failed ${count === 1 ? "delivery" : "deliveries"}`,
    };
  },
);
