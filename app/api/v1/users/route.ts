import { json, readJson, readQuery, withApiKey } from "@/lib/api/route";
import { serializePage, serializeUser } from "@/lib/api/serializers";
import { pageQuerySchema } from "@/lib/pagination";
import { createUser, listUsers } from "@/lib/users";
import { createUserSchema } from "@/lib/users/schema";

export const POST = withApiKey(async ({ request, scope }) => {
  const input = await readJson(request, createUserSchema);
  return json(serializeUser(await createUser(scope, input)), 201);
});

export const GET = withApiKey(async ({ request, scope }) => {
  const page = readQuery(request, pageQuerySchema);
  return json(serializePage(await listUsers(scope, page), serializeUser));
});
