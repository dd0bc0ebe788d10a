import { json, withApiKey } from "@/lib/api/route";
import { replayDelivery } from "@/lib/webhooks/deliveries";
import { serializeDelivery } from "@/lib/webhooks/serializers";

/** The same event again, as a new sequence of attempts; 409 while the delivery is in progress. */
export const POST = withApiKey<{ id: string }>(async ({ scope, params }) => {
  return json(serializeDelivery(await replayDelivery(scope, params.id)), 202);
});
