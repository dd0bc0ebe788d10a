"use client";

import { Slot } from "radix-ui";
import { lazy, type ReactNode, Suspense, useState } from "react";

export type ConfirmDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The button that opens it; absent when something else (a menu) opens it. */
  trigger?: ReactNode;
  title: ReactNode;
  description: ReactNode;
  descriptionClassName?: string;
  confirmLabel: ReactNode;
  /** Shown on the confirm button, replaced by a spinner while pending. */
  confirmIcon?: ReactNode;
  destructive?: boolean;
  pending: boolean;
  onConfirm: () => void;
  onCloseAutoFocus?: (event: Event) => void;
};

// Most views never open a confirmation, so the dialog's code is fetched when one is about to:
// when its trigger is pointed at or focused, or at the latest when it opens.
const loadDialog = () => import("./confirm-dialog-content");
const ConfirmDialogContent = lazy(loadDialog);

/**
 * "Are you sure?" before an action that changes something. The dialog stays open, its buttons
 * busy, while `pending`: the caller closes it (onOpenChange) once the action has been accepted,
 * so a refused action can say why where it was asked for.
 */
export function ConfirmDialog({ trigger, ...dialog }: ConfirmDialogProps) {
  // Mounted from its first opening on, so that closing can animate and focus can go back.
  const [mounted, setMounted] = useState(dialog.open);
  if (dialog.open && !mounted) setMounted(true);
  return (
    <>
      {trigger ? (
        <Slot.Root
          aria-haspopup="dialog"
          aria-expanded={dialog.open}
          onPointerEnter={loadDialog}
          onFocus={loadDialog}
          onClick={() => dialog.onOpenChange(true)}
        >
          {trigger}
        </Slot.Root>
      ) : null}
      {mounted ? (
        <Suspense fallback={null}>
          <ConfirmDialogContent {...dialog} />
        </Suspense>
      ) : null}
    </>
  );
}
