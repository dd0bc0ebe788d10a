import { json, withApiKey } from "@/lib/api/route";
import { describeEventTypes } from "@/lib/webhooks/catalog";

/** The event catalog: each type with its description, JSON Schema and an example payload. */
export const GET = withApiKey(async () => json({ data: describeEventTypes() }));
