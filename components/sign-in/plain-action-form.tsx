import type { ComponentProps } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import type { Button } from "@/components/ui/button";
import type { SignInPlainAction } from "./types";

/** One button posting the auth request id to an action: "Cancel", "Return to application". */
export function PlainActionForm({
  action,
  authRequestId,
  label,
  variant = "ghost",
  className,
}: {
  action: SignInPlainAction;
  authRequestId: string;
  label: string;
  variant?: ComponentProps<typeof Button>["variant"];
  className?: string;
}) {
  return (
    <form action={action} className={className}>
      <input type="hidden" name="auth_request" value={authRequestId} />
      <SubmitButton variant={variant} className="w-full">
        {label}
      </SubmitButton>
    </form>
  );
}
