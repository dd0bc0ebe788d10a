import { json, noContent, readJson, withApiKey } from "@/lib/api/route";
import { serializeUser } from "@/lib/api/serializers";
import { deleteUser, getUser, updateUser } from "@/lib/users";
import { updateUserSchema } from "@/lib/users/schema";

export const GET = withApiKey<{ id: string }>(async ({ scope, params }) => {
  return json(serializeUser(await getUser(scope, params.id)));
});

/** email, name, password; sends organization.directory.user_updated when email or name change. */
export const PATCH = withApiKey<{ id: string }>(async ({ request, scope, params }) => {
  const input = await readJson(request, updateUserSchema);
  return json(serializeUser(await updateUser(scope, params.id, input)));
});

/** Sends organization.directory.user_deleted to each organization the user belonged to. */
export const DELETE = withApiKey<{ id: string }>(async ({ scope, params }) => {
  await deleteUser(scope, params.id);
  return noContent();
});
