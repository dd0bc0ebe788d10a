import { StatusBadge, statusStyles } from "@/components/dashboard/status-badge";
import type { DeliveryStatus } from "@/constants/webhooks";

/** The four delivery statuses, coloured like the auth logs' (waiting, trying again, ended). */
export const deliveryStatusStyles = statusStyles<DeliveryStatus>(
  { queued: "Queued", retrying: "Retrying", success: "Success", failed: "Failed" },
  { queued: "info", retrying: "warning", success: "success", failed: "destructive" },
);
export const deliveryStatusLabels = deliveryStatusStyles.labels;

export function DeliveryStatusBadge({
  status,
  className,
}: {
  status: DeliveryStatus;
  className?: string;
}) {
  return (
    <StatusBadge
      status={status}
      label={deliveryStatusStyles.labels[status]}
      tone={deliveryStatusStyles.tones[status]}
      className={className}
    />
  );
}
