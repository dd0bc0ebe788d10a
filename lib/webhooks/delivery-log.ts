import "server-only";
import { and, eq, or } from "drizzle-orm";
import {
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  type WebhookEndpoint,
  type WebhookEvent,
  webhookDeliveryAttempts,
  webhookEvents,
} from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { Scope } from "@/lib/organizations/scope";
import { getDelivery } from "./deliveries";
import { getEndpoint } from "./endpoints";

/**
 * The delivery log as the Webhooks dashboard reads it, beyond what the management API lists:
 * each row's latest answer, and a delivery's page with its event and endpoint.
 */

/** What the latest attempt of a delivery got back. */
export type LastAttempt = Pick<
  WebhookDeliveryAttempt,
  "attempt" | "startedAt" | "responseStatus" | "durationMs" | "error"
>;

/**
 * The latest attempt of each delivery, by delivery id (absent while none was made). One lookup
 * per delivery on the attempts' primary key (delivery_id, attempt = attempt_count).
 */
export async function latestAttempts(
  deliveries: Pick<WebhookDelivery, "id" | "attemptCount">[],
  tx: Executor = db,
): Promise<Map<string, LastAttempt>> {
  const tried = deliveries.filter((delivery) => delivery.attemptCount > 0);
  if (tried.length === 0) return new Map();
  const rows = await tx
    .select({
      deliveryId: webhookDeliveryAttempts.deliveryId,
      attempt: webhookDeliveryAttempts.attempt,
      startedAt: webhookDeliveryAttempts.startedAt,
      responseStatus: webhookDeliveryAttempts.responseStatus,
      durationMs: webhookDeliveryAttempts.durationMs,
      error: webhookDeliveryAttempts.error,
    })
    .from(webhookDeliveryAttempts)
    .where(
      or(
        ...tried.map((delivery) =>
          and(
            eq(webhookDeliveryAttempts.deliveryId, delivery.id),
            eq(webhookDeliveryAttempts.attempt, delivery.attemptCount),
          ),
        ),
      ),
    );
  return new Map(rows.map(({ deliveryId, ...attempt }) => [deliveryId, attempt]));
}

export type DeliveryDetail = WebhookDelivery & {
  attempts: WebhookDeliveryAttempt[];
  event: Pick<WebhookEvent, "id" | "type" | "body" | "occurredAt">;
  endpoint: WebhookEndpoint;
};

/**
 * One delivery of one endpoint with its event and every attempt, oldest first. NotFoundError when
 * the delivery is missing, outside `scope`, or belongs to another endpoint than the URL says.
 */
export async function getDeliveryDetail(
  scope: Scope,
  endpointId: string,
  deliveryId: string,
  tx: Executor = db,
): Promise<DeliveryDetail> {
  const delivery = await getDelivery(scope, deliveryId, tx);
  if (delivery.endpointId !== endpointId) throw new NotFoundError("Webhook delivery");
  const [endpoint, [event]] = await Promise.all([
    getEndpoint(scope, endpointId, tx),
    tx
      .select({
        id: webhookEvents.id,
        type: webhookEvents.type,
        body: webhookEvents.body,
        occurredAt: webhookEvents.occurredAt,
      })
      .from(webhookEvents)
      .where(eq(webhookEvents.id, delivery.eventId)),
  ]);
  if (!event) throw new NotFoundError("Webhook delivery");
  return { ...delivery, event, endpoint };
}
