import { z } from "zod";
import { memberRoles } from "@/constants/organizations";

export const MIN_PASSWORD_LENGTH = 8;

export const createUserSchema = z
  .strictObject({
    email: z.string().trim().max(320).pipe(z.email("must be an email address")),
    name: z.string().trim().min(1, "must not be empty").max(200).nullish(),
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
      // scrypt hashes any length, but nobody types more; the cap keeps request bodies small.
      .max(1024, "must be at most 1024 characters")
      .optional(),
    organization_id: z.string().trim().min(1).max(100).optional(),
    role: z.enum(memberRoles).optional(),
  })
  .transform((body) => ({
    email: body.email,
    name: body.name ?? null,
    password: body.password ?? null,
    organizationId: body.organization_id ?? null,
    role: body.role,
  }));

export type CreateUserInput = z.output<typeof createUserSchema>;

/** PATCH /api/v1/users/{id}: the fields given change; `name: null` clears the name. */
export const updateUserSchema = z
  .strictObject({
    email: z.string().trim().max(320).pipe(z.email("must be an email address")).optional(),
    name: z.string().trim().min(1, "must not be empty").max(200).nullable().optional(),
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
      .max(1024, "must be at most 1024 characters")
      .optional(),
  })
  .refine((body) => Object.keys(body).length > 0, "must change at least one field");

export type UpdateUserInput = z.output<typeof updateUserSchema>;
