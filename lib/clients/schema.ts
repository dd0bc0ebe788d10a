import { z } from "zod";
import { clientTypes } from "@/constants/clients";

// Plain http is for a developer's own machine only (OAuth 2.1 §2.3.1, RFC 8252 §7.3).
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A redirect URI as it will be compared at /oauth/authorize: exactly, as a string (OAuth 2.1
 * §2.3.1), so it is stored as written, never normalised. Absolute, https (http only for
 * loopback development), and without a fragment, which redirects must not carry (RFC 6749
 * §3.1.2).
 */
export const redirectUriSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(2000, "must be at most 2000 characters")
  .superRefine((uri, ctx) => {
    const problem = redirectUriProblem(uri);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const createClientSchema = z
  .strictObject({
    name: z.string().trim().min(1, "must not be empty").max(200),
    type: z.enum(clientTypes),
    redirect_uris: z
      .array(redirectUriSchema)
      .min(1, "must list at least one redirect URI")
      .max(20, "must list at most 20 redirect URIs"),
    post_logout_redirect_uris: z.array(redirectUriSchema).max(20).optional(),
    organization_id: z.string().trim().min(1).max(100).optional(),
  })
  .transform((body) => ({
    name: body.name,
    type: body.type,
    redirectUris: [...new Set(body.redirect_uris)],
    postLogoutRedirectUris: [...new Set(body.post_logout_redirect_uris ?? [])],
    organizationId: body.organization_id ?? null,
  }));

export type CreateClientInput = z.output<typeof createClientSchema>;

function redirectUriProblem(uri: string): string | undefined {
  if (!URL.canParse(uri)) return "must be an absolute URL";
  if (uri.includes("#")) return "must not contain a fragment (#)";
  const url = new URL(uri);
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return "must use https (http only for localhost or 127.0.0.1)";
}
