import { z } from "zod";
import { type InterceptorFallback, interceptorFallbacks } from "@/constants/interceptors";
import { replaceNul } from "@/lib/text";

/**
 * The one definition of interceptor input, for the management API and the dashboard: field names
 * are the API's (snake_case) and the output is the data functions' input (camelCase). Whether
 * the URL is an allowed outbound target (HTTPS, public address) needs DNS, so the data functions
 * check that on save.
 */
const interceptorFields = {
  name: z.string().trim().min(1, "Name is required").max(100),
  url: z.url({ protocol: /^https?$/, message: "Enter a full https:// URL" }).max(2048),
  /** `whsec_` + base64 of 24–64 random bytes; generated when omitted. */
  secret: z
    .string()
    .refine(isWhsecSecret, "Secret must be whsec_ followed by base64 of 24 to 64 bytes")
    .optional(),
  /** How long a sign-in waits for the answer before the fallback applies. */
  timeout_ms: z.number().int().min(100).max(10_000).optional(),
  /** What happens when the interceptor fails or times out. */
  fallback: z.enum(interceptorFallbacks).optional(),
  enabled: z.boolean().optional(),
  /** Null or omitted: applies to every organization's sign-ins. */
  organization_id: z.string().min(1).nullable().optional(),
};

/** An interceptor as the data functions take it; an update gives only what changes. */
export type InterceptorCreateInput = {
  name: string;
  url: string;
  secret?: string;
  timeoutMs?: number;
  fallback?: InterceptorFallback;
  enabled?: boolean;
  /** Null: applies to every organization's sign-ins (operator only). */
  organizationId?: string | null;
};
export type InterceptorUpdateInput = Partial<InterceptorCreateInput>;

type InterceptorFields = {
  [Key in keyof typeof interceptorFields]?: z.output<(typeof interceptorFields)[Key]>;
};

function toInput(body: InterceptorFields): InterceptorUpdateInput {
  return {
    name: body.name,
    url: body.url,
    secret: body.secret,
    timeoutMs: body.timeout_ms,
    fallback: body.fallback,
    enabled: body.enabled,
    organizationId: body.organization_id,
  };
}

export const interceptorCreateSchema = z
  .strictObject(interceptorFields)
  .transform(
    (body): InterceptorCreateInput => ({ ...toInput(body), name: body.name, url: body.url }),
  );

export const interceptorUpdateSchema = z
  .strictObject(interceptorFields)
  .partial()
  .transform(toInput);

/** What an interceptor may answer; anything else counts as a failure and takes the fallback. */
export const interceptorDecisionSchema = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("ALLOW") }),
  z.object({
    decision: z.literal("DENY"),
    // Kept in the auth log, so a NUL (legal in JSON as \u0000) is replaced; see lib/text.ts.
    error: z
      .object({ message: z.string().trim().min(1).max(500).transform(replaceNul).optional() })
      .optional(),
  }),
]);

export type InterceptorDecision = z.infer<typeof interceptorDecisionSchema>;

function isWhsecSecret(secret: string): boolean {
  const match = /^whsec_([A-Za-z0-9+/]+)(={0,2})$/.exec(secret);
  if (!match?.[1]) return false;
  const encoded = match[1].length + (match[2]?.length ?? 0);
  if (encoded % 4 !== 0) return false;
  const bytes = (encoded / 4) * 3 - (match[2]?.length ?? 0);
  return bytes >= 24 && bytes <= 64;
}
