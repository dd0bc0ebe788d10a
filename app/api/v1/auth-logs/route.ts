import { json, readQuery, withApiKey } from "@/lib/api/route";
import { serializeAuthLog, serializePage } from "@/lib/api/serializers";
import { authLogListQuerySchema } from "@/lib/auth-logs/filters";
import { listAuthLogs } from "@/lib/auth-logs/queries";

export const GET = withApiKey(async ({ request, scope }) => {
  const { filters, page } = readQuery(request, authLogListQuerySchema);
  return json(serializePage(await listAuthLogs(scope, filters, page), serializeAuthLog));
});
