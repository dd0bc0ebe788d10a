import "server-only";
import { and, asc, eq, gte, inArray, type SQL, sql } from "drizzle-orm";
import type { DeliveryStatus } from "@/constants/webhooks";
import {
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEndpoints,
} from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import { ConflictError, NotFoundError } from "@/lib/errors";
import type { Scope } from "@/lib/organizations/scope";
import { newestFirstPage, type Page, type PageRequest } from "@/lib/pagination";
import { atOrBefore } from "@/lib/time-bounds";
import type { WebhookEventType } from "./catalog";
import { endpointInScope, getEndpoint } from "./endpoints";
import { type DeliveryHandoff, dispatchDeliveries, dispatchEvents, emitTestEvent } from "./outbox";

/**
 * The delivery log (shared by the management API and the Webhooks dashboard) and replays.
 * Every read goes through the endpoint's Scope, so a delivery of another organization's
 * endpoint answers as unknown.
 */

/** What the log of one endpoint can be narrowed to; every field but `endpointId` is optional. */
export type DeliveryFilter = {
  endpointId: string;
  /** Any of these statuses (an empty list or none: every status). */
  statuses?: readonly DeliveryStatus[];
  eventType?: WebhookEventType;
  /** Inclusive bounds on created_at, as everywhere in the API and the dashboard. */
  from?: Date;
  to?: Date;
};

export type DeliveryWithAttempts = WebhookDelivery & { attempts: WebhookDeliveryAttempt[] };

/** One endpoint's deliveries, newest first (keyset pages over created_at, id). */
export async function listDeliveries(
  scope: Scope,
  filter: DeliveryFilter,
  page: PageRequest,
  tx: Executor = db,
): Promise<Page<WebhookDelivery>> {
  await getEndpoint(scope, filter.endpointId, tx);
  return listDeliveriesOfCheckedEndpoint(filter, page, tx);
}

/**
 * `listDeliveries` for an endpoint the caller has just read through its Scope (the dashboard's
 * view loads the endpoint first): the same page without reading the endpoint again.
 */
export async function listDeliveriesOfCheckedEndpoint(
  filter: DeliveryFilter,
  page: PageRequest,
  tx: Executor = db,
): Promise<Page<WebhookDelivery>> {
  return newestFirstPage(tx, webhookDeliveries, deliveryConditions(filter), page);
}

/**
 * The WHERE clause of `listDeliveries` without its cursor, for an endpoint already checked to be
 * in scope: the dashboard's counts and chart (./delivery-stats.ts) use it so they can never
 * disagree with the list about what matches.
 */
export function deliveryConditions(filter: DeliveryFilter): SQL | undefined {
  return and(
    eq(webhookDeliveries.endpointId, filter.endpointId),
    filter.statuses?.length ? inArray(webhookDeliveries.status, [...filter.statuses]) : undefined,
    filter.eventType ? eq(webhookDeliveries.eventType, filter.eventType) : undefined,
    filter.from ? gte(webhookDeliveries.createdAt, filter.from) : undefined,
    filter.to ? atOrBefore(webhookDeliveries.createdAt, filter.to) : undefined,
  );
}

/** One delivery with every attempt, oldest first; NotFoundError when missing or outside scope. */
export async function getDelivery(
  scope: Scope,
  id: string,
  tx: Executor = db,
): Promise<DeliveryWithAttempts> {
  const delivery = await findScopedDelivery(scope, id, tx);
  const attempts = await tx
    .select()
    .from(webhookDeliveryAttempts)
    .where(eq(webhookDeliveryAttempts.deliveryId, id))
    .orderBy(asc(webhookDeliveryAttempts.attempt));
  return { ...delivery, attempts };
}

/**
 * Sends the same event again as a new sequence of attempts (the first one `manual`, retried on
 * the usual schedule), whatever the delivery ended in: a Failed delivery can end in Success.
 * A delivery still Queued or Retrying is refused; its own schedule is not finished.
 */
export async function replayDelivery(scope: Scope, id: string): Promise<WebhookDelivery> {
  const [replayed] = await startNewSequence(
    and(
      eq(webhookDeliveries.id, id),
      inArray(webhookDeliveries.status, ["success", "failed"]),
      deliveryInScope(scope),
    ),
  );
  if (!replayed) {
    // Nothing matched: say which of the two reasons it was.
    await findScopedDelivery(scope, id);
    throw new ConflictError("The delivery is still being delivered; replay it once it has ended");
  }
  await dispatchDeliveries([handoffOf(replayed)]);
  return replayed.delivery;
}

/** `since` and `until` are inclusive bounds on created_at, like the delivery log's `from`/`to`. */
export type EndpointReplayFilter = { since?: Date; until?: Date; eventType?: WebhookEventType };

/** Replays every Failed delivery of the endpoint created in [since, until] of that event type. */
export async function replayFailedDeliveries(
  scope: Scope,
  endpointId: string,
  filter: EndpointReplayFilter,
): Promise<WebhookDelivery[]> {
  await getEndpoint(scope, endpointId);
  const replayed = await startNewSequence(
    and(
      eq(webhookDeliveries.endpointId, endpointId),
      eq(webhookDeliveries.status, "failed"),
      deliveryInScope(scope),
      ...failedInRangeConditions(filter),
    ),
  );
  await dispatchDeliveries(replayed.map(handoffOf));
  return replayed.map((row) => row.delivery);
}

/**
 * Sends a `webhook.test` event to one endpoint, whatever types it subscribed to, and returns its
 * delivery. A disabled endpoint is refused rather than logging an attempt that cannot go out.
 */
export async function sendTestDelivery(scope: Scope, endpointId: string): Promise<WebhookDelivery> {
  const emitted = await db.transaction(async (tx) => {
    // Shared lock: the endpoint cannot be deleted or disabled before its event is written.
    const endpoint = await getEndpoint(scope, endpointId, tx, { lock: "share" });
    if (!endpoint.enabled) throw new ConflictError("The endpoint is disabled; enable it first");
    return emitTestEvent(tx, endpoint);
  });
  await dispatchEvents(emitted);
  const [delivery] = await db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.eventId, emitted.eventId));
  if (!delivery) throw new NotFoundError("Webhook delivery");
  return delivery;
}

/**
 * What `replayFailedDeliveries` would pick, besides the endpoint and status: the dashboard counts
 * with it before asking to confirm, so the number it shows is the number that is replayed.
 */
export function failedInRangeConditions(filter: EndpointReplayFilter): (SQL | undefined)[] {
  return [
    filter.since ? gte(webhookDeliveries.createdAt, filter.since) : undefined,
    filter.until ? atOrBefore(webhookDeliveries.createdAt, filter.until) : undefined,
    filter.eventType ? eq(webhookDeliveries.eventType, filter.eventType) : undefined,
  ];
}

// ---------------------------------------------------------------------------------------------

type Replayed = { delivery: WebhookDelivery; rateLimitPerSecond: number | null };

async function findScopedDelivery(
  scope: Scope,
  id: string,
  tx: Executor = db,
): Promise<WebhookDelivery> {
  const [found] = await tx
    .select({ delivery: webhookDeliveries })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.id, id), endpointInScope(scope)));
  if (!found) throw new NotFoundError("Webhook delivery");
  return found.delivery;
}

/** Deliveries of the endpoints `scope` may see, as a condition on webhook_deliveries. */
function deliveryInScope(scope: Scope): SQL | undefined {
  if (scope.kind === "operator") return undefined;
  return inArray(
    webhookDeliveries.endpointId,
    db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(endpointInScope(scope)),
  );
}

/**
 * Puts the matching deliveries back to Queued under a new sequence number, in one statement, so
 * two replays at once cannot both start a sequence from the same state. The run of the old
 * sequence, if any is still around, sees the new number and steps aside.
 */
async function startNewSequence(where: SQL | undefined): Promise<Replayed[]> {
  const rows = await db
    .update(webhookDeliveries)
    .set({
      status: "queued",
      sequence: sql`${webhookDeliveries.sequence} + 1`,
      runId: null,
      dispatchedAt: null,
      nextAttemptAt: null,
      updatedAt: new Date(),
    })
    .where(where)
    .returning();
  if (rows.length === 0) return [];
  const limits = await db
    .select({ id: webhookEndpoints.id, rateLimitPerSecond: webhookEndpoints.rateLimitPerSecond })
    .from(webhookEndpoints)
    .where(inArray(webhookEndpoints.id, [...new Set(rows.map((row) => row.endpointId))]));
  const limitOf = new Map(limits.map((row) => [row.id, row.rateLimitPerSecond]));
  return rows
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
    .map((delivery) => ({
      delivery,
      rateLimitPerSecond: limitOf.get(delivery.endpointId) ?? null,
    }));
}

function handoffOf({ delivery, rateLimitPerSecond }: Replayed): DeliveryHandoff {
  return {
    deliveryId: delivery.id,
    endpointId: delivery.endpointId,
    sequence: delivery.sequence,
    firstAttempt: delivery.attemptCount + 1,
    trigger: "manual",
    rateLimitPerSecond,
  };
}
