import { json, noContent, readJson, withApiKey } from "@/lib/api/route";
import {
  deleteScopedInterceptor,
  getScopedInterceptor,
  updateScopedInterceptor,
} from "@/lib/api/scoped-interceptors";
import { serializeInterceptor } from "@/lib/api/serializers";
import { interceptorUpdateSchema } from "@/lib/interceptors";

export const GET = withApiKey<{ id: string }>(async ({ scope, params }) => {
  return json(serializeInterceptor(await getScopedInterceptor(scope, params.id)));
});

export const PATCH = withApiKey<{ id: string }>(async ({ request, scope, params }) => {
  const input = await readJson(request, interceptorUpdateSchema);
  return json(serializeInterceptor(await updateScopedInterceptor(scope, params.id, input)));
});

export const DELETE = withApiKey<{ id: string }>(async ({ scope, params }) => {
  await deleteScopedInterceptor(scope, params.id);
  return noContent();
});
