import { json, withApiKey } from "@/lib/api/route";
import { serializeClient } from "@/lib/api/serializers";
import { getClient } from "@/lib/clients";

export const GET = withApiKey<{ client_id: string }>(async ({ scope, params }) => {
  return json(serializeClient(await getClient(scope, params.client_id)));
});
