"use client";

import { LoaderCircleIcon } from "lucide-react";
import type { ComponentProps } from "react";
import { useFormStatus } from "react-dom";
import { Button } from "@/components/ui/button";

/**
 * A submit button that shows its form is on its way. `pending` can be passed by forms that
 * track it with useActionState; otherwise the enclosing form's status is used.
 */
export function SubmitButton({
  children,
  pending,
  disabled,
  ...props
}: ComponentProps<typeof Button> & { pending?: boolean }) {
  const status = useFormStatus();
  const busy = pending ?? status.pending;
  return (
    <Button type="submit" disabled={busy || disabled} aria-busy={busy || undefined} {...props}>
      {busy ? <LoaderCircleIcon aria-hidden="true" className="animate-spin" /> : null}
      {children}
    </Button>
  );
}
