"use client";

import { RotateCcwIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/dashboard/confirm-dialog";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import type { DeliveryStatus } from "@/constants/webhooks";
import { replayDeliveryAction } from "../../../actions";

/**
 * Replays a finished delivery after a confirmation. The page polls while the delivery is on its
 * way again, so the new attempt appears by itself; this button stays mounted meanwhile (shown
 * as busy) and says in a toast how the replay ended once the delivery is final again.
 */
export function ReplayButton({
  deliveryId,
  status,
  attemptCount,
  lastResponseStatus,
}: {
  deliveryId: string;
  status: DeliveryStatus;
  attemptCount: number;
  lastResponseStatus: number | null;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [isPending, startTransition] = useTransition();
  // The attempt count when this page started a replay: later attempts are the replay's.
  const replayedFrom = useRef<number | null>(null);
  const final = status === "success" || status === "failed";

  useEffect(() => {
    const from = replayedFrom.current;
    if (from === null || !final || attemptCount <= from) return;
    replayedFrom.current = null;
    const answer = lastResponseStatus === null ? "no answer" : `HTTP ${lastResponseStatus}`;
    if (status === "success") toast.success(`Replay delivered: attempt ${attemptCount}, ${answer}`);
    else toast.error(`Replay failed after attempt ${attemptCount} (${answer})`);
  }, [final, status, attemptCount, lastResponseStatus]);

  function replay() {
    startTransition(async () => {
      const result = await replayDeliveryAction({ delivery_id: deliveryId });
      setOpen(false);
      if (result.ok) {
        replayedFrom.current = attemptCount;
        toast.info(result.message);
      } else {
        toast.error(result.error ?? "The replay could not be started");
      }
      router.refresh();
    });
  }

  if (!final) {
    return (
      <Button variant="outline" size="sm" disabled>
        <Spinner aria-hidden="true" />
        {status === "retrying" ? "Retrying…" : "Delivering…"}
      </Button>
    );
  }

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button variant="outline" size="sm">
          <RotateCcwIcon aria-hidden="true" />
          Replay
        </Button>
      }
      title="Replay this delivery?"
      description={
        <>
          The same event is sent to the endpoint again, as attempt {attemptCount + 1}, and retried
          on the usual schedule if it fails. It keeps its webhook-id, so the receiver can tell it
          already has this message.
        </>
      }
      confirmLabel="Replay"
      confirmIcon={<RotateCcwIcon aria-hidden="true" />}
      pending={isPending}
      onConfirm={replay}
    />
  );
}
