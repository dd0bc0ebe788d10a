"use client";

import { RotateCcwIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/dashboard/confirm-dialog";
import { Button } from "@/components/ui/button";
import { replayFailedInViewAction } from "../actions";

const countFormat = new Intl.NumberFormat("en");

/**
 * "Replay all failed in this view": asks first, naming how many Failed deliveries match the view
 * (the server counted them with the replay's own filter), then replays them in one request. The
 * filter is the view's as the server resolved it, so a preset range means the instants shown.
 */
export function ReplayFailedButton({
  endpointId,
  failed,
  filter,
  scopeDescription,
}: {
  endpointId: string;
  failed: number;
  filter: { since?: string; until?: string; event_type?: string };
  /** The view in words, e.g. "in the last hour of user.login events". */
  scopeDescription: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [isPending, startTransition] = useTransition();
  const noun = failed === 1 ? "failed delivery" : "failed deliveries";

  function replay() {
    startTransition(async () => {
      const result = await replayFailedInViewAction({ endpoint_id: endpointId, filter });
      setOpen(false);
      if (result.ok) toast.success(result.message);
      else toast.error(result.error ?? "The replay could not be started");
      router.refresh();
    });
  }

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button variant="outline" size="sm" disabled={failed === 0}>
          <RotateCcwIcon aria-hidden="true" />
          Replay all failed in this view
          <span className="rounded bg-muted px-1.5 text-xs tabular-nums">
            {countFormat.format(failed)}
          </span>
        </Button>
      }
      title={`Replay ${countFormat.format(failed)} ${noun}?`}
      description={
        <>
          {countFormat.format(failed)} {noun} {scopeDescription} will be sent again, each as a new
          manual attempt that is retried on the usual schedule. Receivers get the same webhook-id as
          before, so they can recognise a message they already processed.
        </>
      }
      confirmLabel={`Replay ${countFormat.format(failed)}`}
      confirmIcon={<RotateCcwIcon aria-hidden="true" />}
      pending={isPending}
      onConfirm={replay}
    />
  );
}
