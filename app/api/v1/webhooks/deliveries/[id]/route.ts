import { json, withApiKey } from "@/lib/api/route";
import { getDelivery } from "@/lib/webhooks/deliveries";
import { serializeDeliveryWithAttempts } from "@/lib/webhooks/serializers";

/** One delivery with every attempt: request sent (headers, body) and response received. */
export const GET = withApiKey<{ id: string }>(async ({ scope, params }) => {
  return json(serializeDeliveryWithAttempts(await getDelivery(scope, params.id)));
});
