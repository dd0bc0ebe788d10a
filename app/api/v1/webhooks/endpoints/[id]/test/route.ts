import { json, withApiKey } from "@/lib/api/route";
import { sendTestDelivery } from "@/lib/webhooks/deliveries";
import { serializeDelivery } from "@/lib/webhooks/serializers";

/** Sends a `webhook.test` event to this endpoint; follow it at GET /webhooks/deliveries/{id}. */
export const POST = withApiKey<{ id: string }>(async ({ scope, params }) => {
  return json(serializeDelivery(await sendTestDelivery(scope, params.id)), 202);
});
