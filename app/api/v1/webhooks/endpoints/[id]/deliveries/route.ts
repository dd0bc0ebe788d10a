import { json, readQuery, withApiKey } from "@/lib/api/route";
import { serializePage } from "@/lib/api/serializers";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { deliveryListQuerySchema } from "@/lib/webhooks/schema";
import { serializeDelivery } from "@/lib/webhooks/serializers";

/** The endpoint's delivery log, newest first: `status` (repeatable), `event_type`, `from`, `to`. */
export const GET = withApiKey<{ id: string }>(async ({ request, scope, params }) => {
  const { limit, cursor, ...filter } = readQuery(request, deliveryListQuerySchema);
  const page = await listDeliveries(scope, { endpointId: params.id, ...filter }, { limit, cursor });
  return json(serializePage(page, serializeDelivery));
});
