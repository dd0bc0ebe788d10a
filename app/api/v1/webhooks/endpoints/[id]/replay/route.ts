import { json, parseWith, readJson, withApiKey } from "@/lib/api/route";
import { replayFailedDeliveries } from "@/lib/webhooks/deliveries";
import { endpointReplaySchema } from "@/lib/webhooks/schema";

/** Replays every Failed delivery matching `since`, `until` and `event_type` (all optional). */
export const POST = withApiKey<{ id: string }>(async ({ request, scope, params }) => {
  // The body is optional: no filters means every Failed delivery of the endpoint.
  const input = request.headers.get("content-type")
    ? await readJson(request, endpointReplaySchema)
    : parseWith(endpointReplaySchema, {});
  const replayed = await replayFailedDeliveries(scope, params.id, input);
  return json({ replayed: replayed.length, delivery_ids: replayed.map((d) => d.id) }, 202);
});
