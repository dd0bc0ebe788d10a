import { z } from "zod";
import { json, readQuery, withApiKey } from "@/lib/api/route";
import { serializeOutboxMessage } from "@/lib/api/serializers";
import { listOutbox } from "@/lib/mail";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "@/lib/pagination";

const outboxQuerySchema = z.strictObject({
  to: z.string().trim().min(1, "must not be empty").max(320).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

/** The mail Gatehouse kept instead of sending (no SMTP server): sign-in codes, for operators. */
export const GET = withApiKey(async ({ request, scope }) => {
  const query = readQuery(request, outboxQuerySchema);
  return json({ data: (await listOutbox(scope, query)).map(serializeOutboxMessage) });
});
