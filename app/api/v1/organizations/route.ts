import { json, readJson, readQuery, withApiKey } from "@/lib/api/route";
import { serializeOrganization, serializePage } from "@/lib/api/serializers";
import { createOrganization, listOrganizations } from "@/lib/organizations";
import { createOrganizationSchema } from "@/lib/organizations/schema";
import { pageQuerySchema } from "@/lib/pagination";

export const POST = withApiKey(async ({ request, scope }) => {
  const input = await readJson(request, createOrganizationSchema);
  const organization = await createOrganization(scope, input);
  return json(serializeOrganization(organization), 201);
});

export const GET = withApiKey(async ({ request, scope }) => {
  const page = readQuery(request, pageQuerySchema);
  return json(serializePage(await listOrganizations(scope, page), serializeOrganization));
});
