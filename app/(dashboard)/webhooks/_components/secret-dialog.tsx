"use client";

import { useEffect, useState } from "react";
import { LocalTime } from "@/components/dashboard/local-time";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import { type RevealedSecret, revealWebhookSecret } from "../actions";
import { SecretField } from "./secret-field";

/**
 * The endpoint's signing secret. It is not part of the page: opening the dialog asks the server
 * for it (`revealWebhookSecret`), or shows the one a rotation just returned.
 */
export function SecretDialog({
  open,
  onOpenChange,
  endpointId,
  url,
  rotated,
  onCloseAutoFocus,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  endpointId: string;
  url: string;
  /** The new secret, when the dialog opens right after a rotation. */
  rotated?: RevealedSecret;
  onCloseAutoFocus?: (event: Event) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent onCloseAutoFocus={onCloseAutoFocus}>
        <DialogHeader>
          <DialogTitle>{rotated ? "Signing secret rotated" : "Signing secret"}</DialogTitle>
          <DialogDescription className="break-all">
            Receivers of {url} verify the <code>webhook-signature</code> header with this secret.
          </DialogDescription>
        </DialogHeader>
        <SecretContent endpointId={endpointId} rotated={rotated} />
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button" variant="outline">
              Close
            </Button>
          </DialogClose>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

type Loaded = { kind: "loading" } | { kind: "error"; message: string } | RevealedSecretState;
type RevealedSecretState = { kind: "loaded"; secret: RevealedSecret };

function SecretContent({ endpointId, rotated }: { endpointId: string; rotated?: RevealedSecret }) {
  const [loaded, setLoaded] = useState<Loaded>(
    rotated ? { kind: "loaded", secret: rotated } : { kind: "loading" },
  );
  useEffect(() => {
    if (rotated) return;
    let current = true;
    revealWebhookSecret({ endpoint_id: endpointId }).then(
      (result) => {
        if (!current) return;
        setLoaded(
          result.ok
            ? { kind: "loaded", secret: result }
            : { kind: "error", message: result.error ?? "The secret could not be loaded." },
        );
      },
      () => current && setLoaded({ kind: "error", message: "The secret could not be loaded." }),
    );
    return () => {
      current = false;
    };
  }, [endpointId, rotated]);

  if (loaded.kind === "loading") {
    return (
      <p className="flex items-center gap-2 text-sm text-muted-foreground" role="status">
        <Spinner aria-hidden="true" /> Loading the secret…
      </p>
    );
  }
  if (loaded.kind === "error") {
    return (
      <Alert variant="destructive" role="alert">
        <AlertDescription>{loaded.message}</AlertDescription>
      </Alert>
    );
  }
  const { secret, previousSecretExpiresAt } = loaded.secret;
  return (
    <div className="grid gap-3">
      <SecretField secret={secret} />
      {previousSecretExpiresAt ? (
        <p className="text-sm text-muted-foreground">
          The previous secret keeps signing alongside this one until{" "}
          <LocalTime value={previousSecretExpiresAt} now={Date.now()} mode="absolute" />, so
          receivers can switch over without missing a message.
        </p>
      ) : null}
    </div>
  );
}
