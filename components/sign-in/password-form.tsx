"use client";

import { useActionState } from "react";
import { FormAlert } from "@/components/forms/form-alert";
import { SubmitButton } from "@/components/forms/submit-button";
import { Field, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { SignInFormAction, SignInFormState } from "./types";

/** The password method. `notice` is the previous attempt's outcome ("Wrong email or password"). */
export function PasswordForm({
  action,
  authRequestId,
  email,
  notice,
}: {
  action: SignInFormAction;
  authRequestId: string;
  email: string;
  notice: string | null;
}) {
  const [state, formAction, pending] = useActionState<SignInFormState, FormData>(action, {});
  const formError = state.error ?? (state.fieldErrors ? null : notice);
  const fieldError = state.fieldErrors?.password;
  const describedBy = [formError && "password-form-error", fieldError && "password-error"]
    .filter(Boolean)
    .join(" ");
  return (
    <form action={formAction} className="grid gap-4">
      <input type="hidden" name="auth_request" value={authRequestId} />
      {/* Lets password managers file the password under the right account. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <FormAlert id="password-form-error" message={formError} />
      <Field invalid={Boolean(formError || fieldError)}>
        <FieldLabel htmlFor="password">Password</FieldLabel>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          autoFocus
          required
          aria-invalid={Boolean(formError || fieldError) || undefined}
          aria-describedby={describedBy || undefined}
        />
        <FieldError id="password-error">{fieldError}</FieldError>
      </Field>
      <SubmitButton pending={pending} className="w-full">
        Sign in
      </SubmitButton>
    </form>
  );
}
