import { z } from "zod";

/**
 * An email domain an organization owns: a DNS name with at least two labels, written lowercase
 * because home realm discovery compares domains case-insensitively. IP literals and single
 * labels (`localhost`) are refused: no real mailbox lives there.
 */
export const emailDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((domain) => domain.replace(/\.$/, ""))
  .pipe(
    z
      .string()
      .max(253, "must be at most 253 characters")
      .regex(
        /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
        "must be a domain name such as example.com",
      ),
  );

export const createOrganizationSchema = z
  .strictObject({
    name: z.string().trim().min(1, "must not be empty").max(200),
    domains: z.array(emailDomainSchema).max(50).optional(),
  })
  .transform((body) => ({
    name: body.name,
    domains: body.domains ? [...new Set(body.domains)] : [],
  }));

export type CreateOrganizationInput = z.output<typeof createOrganizationSchema>;

/** PATCH /api/v1/organizations/{id}: `domains` replaces the whole list. */
export const updateOrganizationSchema = z
  .strictObject({
    name: z.string().trim().min(1, "must not be empty").max(200).optional(),
    domains: z.array(emailDomainSchema).max(50).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, "must change at least one field")
  .transform((body) => ({
    name: body.name,
    domains: body.domains ? [...new Set(body.domains)] : undefined,
  }));

export type UpdateOrganizationInput = z.output<typeof updateOrganizationSchema>;
