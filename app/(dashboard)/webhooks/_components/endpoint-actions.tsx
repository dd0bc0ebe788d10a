"use client";

import {
  EllipsisIcon,
  EyeIcon,
  ListIcon,
  PencilIcon,
  PowerIcon,
  PowerOffIcon,
  RefreshCwIcon,
  SendIcon,
  Trash2Icon,
} from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/dashboard/confirm-dialog";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Spinner } from "@/components/ui/spinner";
import type { ActionResult } from "@/lib/dashboard/action";
import {
  deleteWebhookEndpoint,
  type RevealedSecret,
  rotateWebhookSecret,
  sendWebhookTestEvent,
  setWebhookEndpointEnabled,
} from "../actions";
import { EndpointFormDialog } from "./endpoint-form-dialog";
import { SecretDialog } from "./secret-dialog";
import type { EndpointSummary } from "./types";

type OpenDialog =
  | { kind: "edit" }
  | { kind: "secret"; rotated?: RevealedSecret }
  | { kind: "rotate" }
  | { kind: "delete" }
  | null;

/**
 * The row's "…" menu and the dialogs it opens. Results are told with a toast; the table itself
 * is re-rendered by the actions (revalidatePath).
 */
export function EndpointActions({ endpoint }: { endpoint: EndpointSummary }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [busy, startTransition] = useTransition();
  const trigger = useRef<HTMLButtonElement>(null);

  const close = (open: boolean) => {
    if (!open) setDialog(null);
  };
  // Dialogs opened from the menu have no trigger of their own: focus goes back to "…".
  const returnFocus = (event: Event) => {
    event.preventDefault();
    trigger.current?.focus();
  };

  function run<T extends object>(
    action: () => Promise<ActionResult<T>>,
    onSuccess: (result: T) => void,
  ) {
    startTransition(async () => {
      try {
        const result = await action();
        if (result.ok) onSuccess(result);
        else toast.error(result.error ?? "That did not work. Try again in a moment.");
      } catch {
        toast.error("That did not work. Try again in a moment.");
      }
    });
  }

  function sendTest() {
    run(
      () => sendWebhookTestEvent({ endpoint_id: endpoint.id }),
      ({ deliveryId }) =>
        toast.success("Test event sent", {
          description: "A webhook.test event is on its way to the endpoint.",
          action: {
            label: "View delivery",
            onClick: () => router.push(`/webhooks/${endpoint.id}/deliveries/${deliveryId}`),
          },
        }),
    );
  }

  function toggleEnabled() {
    const enabled = !endpoint.enabled;
    run(
      () => setWebhookEndpointEnabled({ endpoint_id: endpoint.id, enabled }),
      () =>
        toast.success(enabled ? "Endpoint enabled" : "Endpoint disabled", {
          description: enabled
            ? "New events are delivered to it again."
            : "It receives no new events until it is enabled again.",
        }),
    );
  }

  // The confirmation stays open (its button busy) until the new secret is back.
  function rotate() {
    run(
      () => rotateWebhookSecret({ endpoint_id: endpoint.id }),
      ({ secret, previousSecretExpiresAt }) =>
        setDialog({ kind: "secret", rotated: { secret, previousSecretExpiresAt } }),
    );
  }

  function remove() {
    run(
      () => deleteWebhookEndpoint({ endpoint_id: endpoint.id }),
      () => {
        setDialog(null);
        toast.success("Endpoint deleted");
      },
    );
  }

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            ref={trigger}
            variant="ghost"
            size="icon-sm"
            aria-label={`More options for ${endpoint.url}`}
            aria-busy={busy || undefined}
          >
            {busy ? <Spinner aria-hidden="true" /> : <EllipsisIcon aria-hidden="true" />}
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-56">
          <DropdownMenuItem asChild>
            <Link href={`/webhooks/${endpoint.id}`}>
              <ListIcon aria-hidden="true" />
              Delivery logs
            </Link>
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => setDialog({ kind: "edit" })}>
            <PencilIcon aria-hidden="true" />
            Edit
          </DropdownMenuItem>
          <DropdownMenuItem disabled={!endpoint.enabled || busy} onSelect={sendTest}>
            <SendIcon aria-hidden="true" />
            Send test event
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setDialog({ kind: "secret" })}>
            <EyeIcon aria-hidden="true" />
            Reveal secret
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => setDialog({ kind: "rotate" })}>
            <RefreshCwIcon aria-hidden="true" />
            Rotate secret
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem disabled={busy} onSelect={toggleEnabled}>
            {endpoint.enabled ? (
              <PowerOffIcon aria-hidden="true" />
            ) : (
              <PowerIcon aria-hidden="true" />
            )}
            {endpoint.enabled ? "Disable" : "Enable"}
          </DropdownMenuItem>
          <DropdownMenuItem variant="destructive" onSelect={() => setDialog({ kind: "delete" })}>
            <Trash2Icon aria-hidden="true" />
            Delete
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>

      <EndpointFormDialog
        open={dialog?.kind === "edit"}
        onOpenChange={close}
        endpoint={endpoint}
        onCloseAutoFocus={returnFocus}
      />

      <SecretDialog
        open={dialog?.kind === "secret"}
        onOpenChange={close}
        endpointId={endpoint.id}
        url={endpoint.url}
        rotated={dialog?.kind === "secret" ? dialog.rotated : undefined}
        onCloseAutoFocus={returnFocus}
      />

      <ConfirmDialog
        open={dialog?.kind === "rotate"}
        onOpenChange={close}
        onCloseAutoFocus={returnFocus}
        title="Rotate the signing secret?"
        descriptionClassName="break-all"
        description={
          <>
            {endpoint.url} gets a new signing secret now. The old secret keeps signing for 24 hours
            alongside the new one, so you can update the receiver without missing a message; after
            that, only the new secret signs.
          </>
        }
        confirmLabel="Rotate secret"
        pending={busy}
        onConfirm={rotate}
      />

      <ConfirmDialog
        open={dialog?.kind === "delete"}
        onOpenChange={close}
        onCloseAutoFocus={returnFocus}
        title="Delete this endpoint?"
        descriptionClassName="break-all"
        description={
          <>
            {endpoint.url} stops receiving events at once, and its delivery logs are deleted with
            it. This cannot be undone.
          </>
        }
        confirmLabel="Delete endpoint"
        destructive
        pending={busy}
        onConfirm={remove}
      />
    </>
  );
}
