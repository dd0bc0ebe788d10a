"use client";

import { useActionState } from "react";
import { FormAlert } from "@/components/forms/form-alert";
import { SubmitButton } from "@/components/forms/submit-button";
import { Field, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { SignInFormAction, SignInFormState } from "./types";

/** Step 1: the email address. `notice` explains why the user is here again (unknown email). */
export function EmailForm({
  action,
  authRequestId,
  defaultEmail,
  notice,
}: {
  action: SignInFormAction;
  authRequestId: string;
  defaultEmail: string;
  notice: string | null;
}) {
  const [state, formAction, pending] = useActionState<SignInFormState, FormData>(action, {});
  const formError = state.error ?? (state.fieldErrors ? null : notice);
  const fieldError = state.fieldErrors?.email;
  const describedBy = [formError && "email-form-error", fieldError && "email-error"]
    .filter(Boolean)
    .join(" ");
  return (
    <form action={formAction} className="grid gap-4">
      <input type="hidden" name="auth_request" value={authRequestId} />
      <FormAlert id="email-form-error" message={formError} />
      <Field invalid={Boolean(formError || fieldError)}>
        <FieldLabel htmlFor="email">Email</FieldLabel>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          required
          placeholder="name@example.com"
          defaultValue={state.values?.email ?? defaultEmail}
          aria-invalid={Boolean(formError || fieldError) || undefined}
          aria-describedby={describedBy || undefined}
        />
        <FieldError id="email-error">{fieldError}</FieldError>
      </Field>
      <SubmitButton pending={pending} className="w-full">
        Continue
      </SubmitButton>
    </form>
  );
}
