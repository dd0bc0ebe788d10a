import { json, readJson, readQuery, withApiKey } from "@/lib/api/route";
import { serializeClient, serializePage } from "@/lib/api/serializers";
import { createClient, listClients } from "@/lib/clients";
import { createClientSchema } from "@/lib/clients/schema";
import { pageQuerySchema } from "@/lib/pagination";

export const POST = withApiKey(async ({ request, scope }) => {
  const input = await readJson(request, createClientSchema);
  const { client, clientSecret } = await createClient(scope, input);
  return json(serializeClient(client, clientSecret), 201);
});

export const GET = withApiKey(async ({ request, scope }) => {
  const page = readQuery(request, pageQuerySchema);
  return json(serializePage(await listClients(scope, page), (client) => serializeClient(client)));
});
