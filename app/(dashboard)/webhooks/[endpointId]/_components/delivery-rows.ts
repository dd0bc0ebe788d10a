import type { DeliveryStatus } from "@/constants/webhooks";
import type { DeliveryLogEntry } from "@/lib/dashboard/delivery-log-view";

/**
 * One row of the delivery log as the table shows it: only what is displayed, already worded,
 * so a page of a hundred rows crosses from server to browser as a small array of strings.
 */
export type DeliveryRow = {
  id: string;
  status: DeliveryStatus;
  eventType: string;
  eventId: string;
  attemptCount: number;
  createdAt: string;
  /** When a Retrying delivery's next attempt is due. */
  nextAttemptAt: string | null;
  response: string;
  latency: string;
};

export function toDeliveryRow(delivery: DeliveryLogEntry): DeliveryRow {
  return {
    id: delivery.id,
    status: delivery.status,
    eventType: delivery.eventType,
    eventId: delivery.eventId,
    attemptCount: delivery.attemptCount,
    createdAt: delivery.createdAt.toISOString(),
    nextAttemptAt:
      delivery.status === "retrying" && delivery.nextAttemptAt
        ? delivery.nextAttemptAt.toISOString()
        : null,
    response: describeResponse(delivery),
    latency: delivery.lastAttempt ? `${delivery.lastAttempt.durationMs} ms` : "—",
  };
}

/** The latest attempt's status code, or why there was none. */
function describeResponse(delivery: DeliveryLogEntry): string {
  const attempt = delivery.lastAttempt;
  if (!attempt) return "—";
  if (attempt.responseStatus !== null) return String(attempt.responseStatus);
  return attempt.error?.startsWith("Timed out") ? "Timeout" : "No response";
}
