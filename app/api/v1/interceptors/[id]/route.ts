import { json, noContent, readJson, withApiKey } from "@/lib/api/route";
import { serializeInterceptor } from "@/lib/api/serializers";
import { deleteInterceptor, getInterceptor, updateInterceptor } from "@/lib/interceptors";
import { interceptorUpdateSchema } from "@/lib/interceptors/schema";

export const GET = withApiKey<{ id: string }>(async ({ scope, params }) => {
  return json(serializeInterceptor(await getInterceptor(scope, params.id)));
});

export const PATCH = withApiKey<{ id: string }>(async ({ request, scope, params }) => {
  const input = await readJson(request, interceptorUpdateSchema);
  return json(serializeInterceptor(await updateInterceptor(scope, params.id, input)));
});

export const DELETE = withApiKey<{ id: string }>(async ({ scope, params }) => {
  await deleteInterceptor(scope, params.id);
  return noContent();
});
