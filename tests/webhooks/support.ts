import { asc, eq } from "drizzle-orm";
import {
  type WebhookDelivery,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEvents,
} from "@/db/schema";
import { db } from "@/lib/db";
import type { WebhookEventData, WebhookEventType } from "@/lib/webhooks/catalog";
import { type EmittedEvent, emitEvent } from "@/lib/webhooks/outbox";

/** Emits one event in its own transaction, as an action would. */
export async function emitTestEvent<Type extends WebhookEventType>(
  type: Type,
  organizationId: string | null,
  data: WebhookEventData<Type>,
): Promise<EmittedEvent> {
  return db.transaction((tx) => emitEvent(tx, { type, organizationId, data }));
}

/** A `webhook.test`-shaped event any endpoint of the organization receives. */
export function emitPing(organizationId: string | null, message = "ping") {
  return emitTestEvent("webhook.test", organizationId, { endpoint_id: "ep_any", message });
}

export async function readDelivery(id: string): Promise<WebhookDelivery> {
  const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  if (!delivery) throw new Error(`No delivery ${id}`);
  return delivery;
}

export async function readAttempts(deliveryId: string) {
  return db
    .select()
    .from(webhookDeliveryAttempts)
    .where(eq(webhookDeliveryAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookDeliveryAttempts.attempt));
}

export async function deliveriesOfEvent(eventId: string) {
  return db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.eventId, eventId))
    .orderBy(asc(webhookDeliveries.createdAt));
}

export async function readEventBody(eventId: string) {
  const [event] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, eventId));
  return event ? JSON.parse(event.body) : undefined;
}
