import { json, withApiKey } from "@/lib/api/route";
import { serializeAuthLogWithEvents } from "@/lib/api/serializers";
import { getAuthLog } from "@/lib/auth-logs/queries";

export const GET = withApiKey<{ id: string }>(async ({ scope, params }) => {
  return json(serializeAuthLogWithEvents(await getAuthLog(scope, params.id)));
});
