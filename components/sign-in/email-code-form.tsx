"use client";

import { useActionState, useEffect, useRef } from "react";
import { FormAlert } from "@/components/forms/form-alert";
import { SubmitButton } from "@/components/forms/submit-button";
import { Field, FieldDescription, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { SignInFormAction, SignInFormState } from "./types";

/** The email code method: the 6-digit code from the mail. */
export function EmailCodeForm({
  action,
  authRequestId,
}: {
  action: SignInFormAction;
  authRequestId: string;
}) {
  const [state, formAction, pending] = useActionState<SignInFormState, FormData>(action, {});
  const input = useRef<HTMLInputElement>(null);
  const error = state.fieldErrors?.code ?? state.error;
  // After a wrong code, put the cursor back in the field with the old code selected.
  useEffect(() => {
    if (state.error || state.fieldErrors) input.current?.select();
  }, [state]);
  return (
    <form action={formAction} className="grid gap-4">
      <input type="hidden" name="auth_request" value={authRequestId} />
      <FormAlert id="code-error" message={error} />
      <Field invalid={Boolean(error)}>
        <FieldLabel htmlFor="code">Code</FieldLabel>
        <Input
          ref={input}
          id="code"
          name="code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
          required
          maxLength={9}
          className="text-center font-mono text-lg tracking-[0.5em]"
          aria-invalid={Boolean(error) || undefined}
          aria-describedby={error ? "code-help code-error" : "code-help"}
        />
        <FieldDescription id="code-help">
          Enter the 6-digit code from the email. It expires in 10 minutes.
        </FieldDescription>
      </Field>
      <SubmitButton pending={pending} className="w-full">
        Verify
      </SubmitButton>
    </form>
  );
}
