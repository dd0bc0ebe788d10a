"use server";

import { z } from "zod";
import { requireDashboardScope } from "@/lib/dashboard/access";
import { DomainError } from "@/lib/errors";
import { textWithoutNul } from "@/lib/validation";
import { replayDelivery, replayFailedDeliveries } from "@/lib/webhooks/deliveries";
import { endpointReplaySchema } from "@/lib/webhooks/schema";

/**
 * Replays from the delivery log. Each action resolves the caller's scope itself and hands it to
 * lib/webhooks, which reads the delivery or endpoint through it: another tenant's ids answer as
 * not found, whatever the browser sends. Results are plain data for a toast; the page picks the
 * new attempts up by polling.
 */
export type ReplayResult =
  | { ok: true; replayed: number; message: string }
  | { ok: false; message: string };

const id = textWithoutNul().trim().min(1).max(200);

/** Replays one finished delivery (Success or Failed) as a new manual attempt sequence. */
export async function replayDeliveryAction(
  endpointId: string,
  deliveryId: string,
): Promise<ReplayResult> {
  const viewer = await requireDashboardScope(`/webhooks/${encodeURIComponent(endpointId)}`);
  const ids = z.tuple([id, id]).safeParse([endpointId, deliveryId]);
  if (!ids.success) return { ok: false, message: "Webhook delivery was not found" };
  return mapErrors(async () => {
    await replayDelivery(viewer.scope, ids.data[1]);
    return { ok: true, replayed: 1, message: "Replay started: a new attempt is on its way" };
  });
}

/**
 * Replays every Failed delivery of the endpoint in the view's time range and event type, the
 * same `since`/`until`/`event_type` (both ends inclusive) the management API's endpoint replay
 * takes and the page counted for its confirmation.
 */
export async function replayFailedInViewAction(
  endpointId: string,
  filter: { since?: string; until?: string; event_type?: string },
): Promise<ReplayResult> {
  const viewer = await requireDashboardScope(`/webhooks/${encodeURIComponent(endpointId)}`);
  const parsedId = id.safeParse(endpointId);
  const parsed = endpointReplaySchema.safeParse(filter);
  if (!parsedId.success) return { ok: false, message: "Webhook endpoint was not found" };
  if (!parsed.success) return { ok: false, message: "The view's filters could not be read" };
  return mapErrors(async () => {
    const replayed = await replayFailedDeliveries(viewer.scope, parsedId.data, parsed.data);
    const count = replayed.length;
    return {
      ok: true,
      replayed: count,
      message:
        count === 0
          ? "Nothing to replay: no failed deliveries match this view any more"
          : `Replaying ${count} failed ${count === 1 ? "delivery" : "deliveries"}`,
    };
  });
}

async function mapErrors(run: () => Promise<ReplayResult>): Promise<ReplayResult> {
  try {
    return await run();
  } catch (error) {
    // Not found (or another tenant's), still being delivered, …: said as is, in a toast.
    if (error instanceof DomainError) return { ok: false, message: error.message };
    throw error;
  }
}
