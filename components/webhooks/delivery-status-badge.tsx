import type { DeliveryStatus } from "@/db/schema/webhooks";
import { cn } from "@/lib/utils";

/** The four delivery statuses, each with its own colour in both themes. */
export const deliveryStatusLabels: Record<DeliveryStatus, string> = {
  queued: "Queued",
  retrying: "Retrying",
  success: "Success",
  failed: "Failed",
};

/** Fill colours for charts, matching the badges. */
export const deliveryStatusFill: Record<DeliveryStatus, string> = {
  queued: "fill-info",
  retrying: "fill-warning",
  success: "fill-success",
  failed: "fill-destructive",
};

export const deliveryStatusSwatch: Record<DeliveryStatus, string> = {
  queued: "bg-info",
  retrying: "bg-warning",
  success: "bg-success",
  failed: "bg-destructive",
};

const statusText: Record<DeliveryStatus, string> = {
  queued: "border-info/30 bg-info/10 text-info",
  retrying: "border-warning/40 bg-warning/15 text-foreground",
  success: "border-success/30 bg-success/10 text-success",
  failed: "border-destructive/30 bg-destructive/10 text-destructive",
};

/** A delivery's status, styled like the Auth Logs' badge (one short class list per row). */
export function DeliveryStatusBadge({
  status,
  className,
}: {
  status: DeliveryStatus;
  className?: string;
}) {
  return (
    <span
      data-slot="badge"
      data-status={status}
      className={cn(
        "inline-flex w-fit items-center gap-1.5 whitespace-nowrap rounded-md border px-2 py-0.5 text-xs font-medium",
        statusText[status],
        className,
      )}
    >
      <span
        aria-hidden="true"
        className={cn("size-1.5 rounded-full", deliveryStatusSwatch[status])}
      />
      {deliveryStatusLabels[status]}
    </span>
  );
}
