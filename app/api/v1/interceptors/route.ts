import { json, readJson, withApiKey } from "@/lib/api/route";
import { serializeInterceptor } from "@/lib/api/serializers";
import { createInterceptor, listInterceptors } from "@/lib/interceptors";
import { interceptorCreateSchema } from "@/lib/interceptors/schema";

export const POST = withApiKey(async ({ request, scope }) => {
  const input = await readJson(request, interceptorCreateSchema);
  const interceptor = await createInterceptor(scope, input);
  return json(serializeInterceptor(interceptor, { withSecret: true }), 201);
});

/** In the order they run (oldest first); few enough per deployment not to need pages. */
export const GET = withApiKey(async ({ scope }) => {
  const interceptors = await listInterceptors(scope);
  return json({ data: interceptors.map((interceptor) => serializeInterceptor(interceptor)) });
});
