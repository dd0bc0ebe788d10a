import { json, noContent, readJson, withApiKey } from "@/lib/api/route";
import { deleteEndpoint, getEndpoint, updateEndpoint } from "@/lib/webhooks/endpoints";
import { endpointUpdateSchema } from "@/lib/webhooks/schema";
import { serializeEndpoint } from "@/lib/webhooks/serializers";

export const GET = withApiKey<{ id: string }>(async ({ scope, params }) => {
  return json(serializeEndpoint(await getEndpoint(scope, params.id)));
});

/** Any of url, description, event_types, rate_limit_per_second, enabled (disable/enable). */
export const PATCH = withApiKey<{ id: string }>(async ({ request, scope, params }) => {
  const input = await readJson(request, endpointUpdateSchema);
  return json(serializeEndpoint(await updateEndpoint(scope, params.id, input)));
});

export const DELETE = withApiKey<{ id: string }>(async ({ scope, params }) => {
  await deleteEndpoint(scope, params.id);
  return noContent();
});
