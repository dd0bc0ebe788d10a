import { z } from "zod";

/**
 * Sign-in form fields, parsed by the server actions (and usable by the forms). Field names are
 * the HTML `name`s. Messages are what the user reads next to the field.
 */
/** `areq_` + 26 lowercase base32 characters (lib/ids.ts); anything else names no request. */
export const AUTH_REQUEST_ID = /^areq_[0-9a-z]{26}$/;

const authRequestId = z.string().trim().regex(AUTH_REQUEST_ID);

export const emailStepSchema = z.object({
  auth_request: authRequestId,
  email: z
    .string()
    .trim()
    .min(1, "Enter your email address")
    .max(320, "That email address is too long")
    .pipe(z.email("Enter an email address like name@example.com")),
});

export const passwordStepSchema = z.object({
  auth_request: authRequestId,
  password: z.string().min(1, "Enter your password").max(1024, "That password is too long"),
});

export const emailCodeStepSchema = z.object({
  auth_request: authRequestId,
  // People paste codes with spaces or dashes ("123 456"); only the digits count.
  code: z
    .string()
    .transform((value) => value.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from the email")),
});

export const authRequestStepSchema = z.object({ auth_request: authRequestId });

/** What a sign-in form shows after its action ran without leaving the page. */
export type SignInFormState = {
  /** A message for the whole form, e.g. "That code is wrong. 3 tries left." */
  error?: string;
  /** Per-field messages, keyed by field name. */
  fieldErrors?: Partial<Record<"email" | "password" | "code", string>>;
  /** Values to put back into the form (never the password). */
  values?: { email?: string };
  /** A confirmation, e.g. "We sent a new code". */
  notice?: string;
};
