import { json, readJson, readQuery, withApiKey } from "@/lib/api/route";
import { serializePage } from "@/lib/api/serializers";
import { pageQuerySchema } from "@/lib/pagination";
import { createEndpoint, listEndpoints } from "@/lib/webhooks/endpoints";
import { endpointCreateSchema } from "@/lib/webhooks/schema";
import { serializeEndpoint } from "@/lib/webhooks/serializers";

/** The response carries the signing secret; later it is shown only by GET …/{id}/secret. */
export const POST = withApiKey(async ({ request, scope }) => {
  const input = await readJson(request, endpointCreateSchema);
  const { endpoint, secret } = await createEndpoint(scope, input);
  return json(serializeEndpoint(endpoint, { secret }), 201);
});

export const GET = withApiKey(async ({ request, scope }) => {
  const page = readQuery(request, pageQuerySchema);
  return json(serializePage(await listEndpoints(scope, page), (e) => serializeEndpoint(e)));
});
