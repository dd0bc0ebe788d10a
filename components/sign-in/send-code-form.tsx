"use client";

import type { ComponentProps } from "react";
import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import type { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import type { SignInFormAction, SignInFormState } from "./types";

/** "Email me a code" / "Resend code": asks for a new code and reports how that went. */
export function SendCodeForm({
  action,
  authRequestId,
  label,
  variant,
  className,
}: {
  action: SignInFormAction;
  authRequestId: string;
  label: string;
  variant?: ComponentProps<typeof Button>["variant"];
  className?: string;
}) {
  const [state, formAction, pending] = useActionState<SignInFormState, FormData>(action, {});
  return (
    <form action={formAction} className={cn("grid gap-2", className)}>
      <input type="hidden" name="auth_request" value={authRequestId} />
      <SubmitButton pending={pending} variant={variant} className="w-full">
        {label}
      </SubmitButton>
      {state.error ? (
        <p role="alert" className="text-center text-sm text-destructive">
          {state.error}
        </p>
      ) : null}
      {state.notice ? (
        <p role="status" className="text-center text-sm text-muted-foreground">
          {state.notice}
        </p>
      ) : null}
    </form>
  );
}
