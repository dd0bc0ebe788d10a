import { json, noContent, readJson, withApiKey } from "@/lib/api/route";
import { serializeOrganization } from "@/lib/api/serializers";
import { deleteOrganization, getOrganization, updateOrganization } from "@/lib/organizations";
import { updateOrganizationSchema } from "@/lib/organizations/schema";

export const GET = withApiKey<{ id: string }>(async ({ scope, params }) => {
  return json(serializeOrganization(await getOrganization(scope, params.id)));
});

/** name, domains (the whole list); sends organization.updated when something changed. */
export const PATCH = withApiKey<{ id: string }>(async ({ request, scope, params }) => {
  const input = await readJson(request, updateOrganizationSchema);
  return json(serializeOrganization(await updateOrganization(scope, params.id, input)));
});

/** Operator-wide keys only; sends organization.deleted (to operator endpoints). */
export const DELETE = withApiKey<{ id: string }>(async ({ scope, params }) => {
  await deleteOrganization(scope, params.id);
  return noContent();
});
