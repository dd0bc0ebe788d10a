import { json, withApiKey } from "@/lib/api/route";
import { rotateEndpointSecret } from "@/lib/webhooks/endpoints";
import { serializeEndpointSecret } from "@/lib/webhooks/serializers";

/** A new secret; the old one keeps signing alongside it for 24 hours. */
export const POST = withApiKey<{ id: string }>(async ({ scope, params }) => {
  return json(serializeEndpointSecret(await rotateEndpointSecret(scope, params.id)));
});
