import { json, withApiKey } from "@/lib/api/route";
import { revealEndpointSecret } from "@/lib/webhooks/endpoints";
import { serializeEndpointSecret } from "@/lib/webhooks/serializers";

/** The signing secret in full, on demand. */
export const GET = withApiKey<{ id: string }>(async ({ scope, params }) => {
  return json(serializeEndpointSecret(await revealEndpointSecret(scope, params.id)));
});
