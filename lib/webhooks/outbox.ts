import "server-only";
import { and, asc, eq, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { AttemptTrigger } from "@/constants/webhooks";
import { type WebhookEndpoint, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { deliveryRequested } from "@/inngest/events";
import { BatchQueue } from "@/lib/batch-queue";
import { db, type Executor, rowsOf } from "@/lib/db";
import { newId, newIdSql } from "@/lib/ids";
import {
  assertEventData,
  type WebhookEventData,
  type WebhookEventType,
  type WebhookPayload,
} from "./catalog";

/**
 * The transactional outbox. `emitEvent` runs inside the caller's transaction and writes the
 * event and one `queued` delivery per subscribed, enabled endpoint: the webhook exists exactly
 * when the change it describes was committed. After the commit the caller hands the deliveries
 * to Inngest with `dispatchEvents`; if that hand-off fails (Inngest unreachable, process killed
 * between commit and send), the deliveries stay `dispatched_at = null` and the
 * `redispatch-webhook-deliveries` cron function sends them again. Inngest's event id is the
 * delivery id, so a hand-off that did reach Inngest and is sent again starts no second run.
 */

/** One delivery's hand-off to Inngest: the data of a `webhooks/delivery.requested` event. */
export type DeliveryHandoff = {
  deliveryId: string;
  endpointId: string;
  sequence: number;
  firstAttempt: number;
  trigger: AttemptTrigger;
  rateLimitPerSecond: number | null;
};

export type EmittedEvent = { eventId: string; deliveries: DeliveryHandoff[] };

export type EventInput<Type extends WebhookEventType> = {
  type: Type;
  /** The organization the event is about; null for events outside any organization. */
  organizationId: string | null;
  data: WebhookEventData<Type>;
  occurredAt?: Date;
};

/**
 * Records an event for every endpoint that wants it: enabled endpoints of its organization and
 * operator endpoints (no organization), subscribed to its type. Nothing is written when no
 * endpoint wants it, so organizations without webhooks pay one indexed read per event.
 */
export async function emitEvent<Type extends WebhookEventType>(
  tx: Executor,
  input: EventInput<Type>,
): Promise<EmittedEvent> {
  return recordEvent(
    tx,
    input,
    sql`enabled
      and (organization_id is null or organization_id = ${input.organizationId})
      and (event_types is null or ${input.type} = any(event_types))`,
  );
}

/** A `webhook.test` event for one endpoint, whatever it subscribed to. */
export async function emitTestEvent(
  tx: Executor,
  endpoint: Pick<WebhookEndpoint, "id" | "organizationId">,
): Promise<EmittedEvent> {
  return recordEvent(
    tx,
    {
      type: "webhook.test",
      organizationId: endpoint.organizationId,
      data: { endpoint_id: endpoint.id, message: "This is a test delivery from Gatehouse." },
    },
    sql`id = ${endpoint.id}`,
  );
}

/**
 * Hands the deliveries of committed events to Inngest. Never throws: a failed hand-off is
 * logged and left to the redispatch sweep, because the change itself has been committed and
 * must not be reported as failed.
 */
export async function dispatchEvents(
  emitted: EmittedEvent | readonly (EmittedEvent | undefined)[] | undefined,
): Promise<void> {
  const events = Array.isArray(emitted) ? emitted : [emitted];
  const handoffs = events.flatMap((event: EmittedEvent | undefined) => event?.deliveries ?? []);
  await dispatchDeliveries(handoffs);
}

/**
 * Like `dispatchEvents`, for deliveries started some other way (replays). Never throws, and
 * waits at most HANDOFF_WAIT_MS: its callers answer people (a token request, an API call), and
 * the SDK retries an unreachable Inngest for seconds. A slower hand-off goes on in the
 * background; one that fails is left to the sweep.
 */
export async function dispatchDeliveries(handoffs: readonly DeliveryHandoff[]): Promise<void> {
  if (handoffs.length === 0) return;
  const handoff = queueHandoffs(handoffs).catch((error: unknown) => {
    console.error(
      `Handing ${handoffs.length} webhook deliveries to Inngest failed; the redispatch sweep will retry`,
      error,
    );
  });
  let timer: NodeJS.Timeout | undefined;
  const patience = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, HANDOFF_WAIT_MS);
    timer.unref();
  });
  await Promise.race([handoff, patience]);
  clearTimeout(timer);
}

/** How many deliveries one redispatch call sends at most. */
export const REDISPATCH_BATCH = 500;

/**
 * Sends again the deliveries whose hand-off never succeeded: still `queued`, never dispatched,
 * untouched for `olderThanMs` (so a hand-off in progress right after its commit is left alone).
 * Returns how many were sent; throws when Inngest cannot be reached, so the caller can retry.
 */
export async function redispatchPendingDeliveries(
  options: { olderThanMs?: number; limit?: number; now?: Date } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - (options.olderThanMs ?? 30_000));
  const pending = await db
    .select({
      deliveryId: webhookDeliveries.id,
      endpointId: webhookDeliveries.endpointId,
      sequence: webhookDeliveries.sequence,
      attemptCount: webhookDeliveries.attemptCount,
      rateLimitPerSecond: webhookEndpoints.rateLimitPerSecond,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(
      and(
        isNull(webhookDeliveries.dispatchedAt),
        eq(webhookDeliveries.status, "queued"),
        lt(webhookDeliveries.updatedAt, cutoff),
      ),
    )
    .orderBy(asc(webhookDeliveries.createdAt), asc(webhookDeliveries.id))
    .limit(options.limit ?? REDISPATCH_BATCH);
  const handoffs = pending.map(
    (row): DeliveryHandoff => ({
      deliveryId: row.deliveryId,
      endpointId: row.endpointId,
      sequence: row.sequence,
      firstAttempt: row.attemptCount + 1,
      trigger: row.sequence > 1 ? "manual" : "scheduled",
      rateLimitPerSecond: row.rateLimitPerSecond,
    }),
  );
  await sendHandoffs(handoffs);
  return handoffs.length;
}

/**
 * Inngest's event id for a delivery's sequence: the delivery id itself for the first, so any
 * number of re-sent hand-offs start one run; a replay is a new sequence, hence a new id.
 */
export function handoffEventId(deliveryId: string, sequence: number): string {
  return sequence === 1 ? deliveryId : `${deliveryId}-replay-${sequence - 1}`;
}

// ---------------------------------------------------------------------------------------------

// Inngest accepts batches of events; a bulk replay is sent in slices of this many.
const SEND_BATCH = 200;
// How long an action waits for its hand-off before answering anyway (see dispatchDeliveries).
const HANDOFF_WAIT_MS = 1000;

/**
 * The event and its deliveries in one statement (one round trip inside the caller's
 * transaction, and no query building) for the endpoints matching `endpoints`, a condition on
 * webhook_endpoints; the event is written only if there is one.
 */
async function recordEvent<Type extends WebhookEventType>(
  tx: Executor,
  input: EventInput<Type>,
  endpoints: SQL,
): Promise<EmittedEvent> {
  assertEventData(input.type, input.data);
  const eventId = newId("evt");
  const occurredAt = input.occurredAt ?? new Date();
  const payload: WebhookPayload<Type> = {
    id: eventId,
    type: input.type,
    occurred_at: occurredAt.toISOString(),
    organization_id: input.organizationId,
    data: input.data,
  };
  // Each delivery's time is that of its own row (clock_timestamp(), not the transaction's
  // now()), taken once per row for both its id and created_at: events emitted together keep
  // their order in the log and in keyset pages, and one event's deliveries follow the order
  // in which their endpoints were created (as do the hand-offs returned: PGlite's clock has
  // millisecond resolution, so rows of one statement may share a time).
  const rows = rowsOf<{ id: string; endpoint_id: string; rate_limit_per_second: number | null }>(
    await tx.execute(sql`
      with targets as (
        select id, rate_limit_per_second, created_at from webhook_endpoints where ${endpoints}
      ),
      event as (
        insert into webhook_events (id, type, organization_id, body, occurred_at)
        select ${eventId}, ${input.type}, ${input.organizationId}, ${JSON.stringify(payload)},
               ${occurredAt.toISOString()}::timestamptz
        where exists (select from targets)
        returning id
      ),
      timed as (
        select targets.id, clock_timestamp() as at
        from targets
        order by targets.created_at, targets.id
      ),
      deliveries as (
        insert into webhook_deliveries (id, event_id, endpoint_id, event_type, created_at, updated_at)
        select ${newIdSql("dlv", sql`timed.at`)}, event.id, timed.id, ${input.type}, timed.at, timed.at
        from event cross join timed
        returning id, endpoint_id
      )
      select deliveries.id, deliveries.endpoint_id, targets.rate_limit_per_second
      from deliveries join targets on targets.id = deliveries.endpoint_id
      order by targets.created_at, targets.id`),
  );
  return {
    eventId,
    deliveries: rows.map((row) => ({
      deliveryId: row.id,
      endpointId: row.endpoint_id,
      sequence: 1,
      firstAttempt: 1,
      trigger: "scheduled",
      rateLimitPerSecond: row.rate_limit_per_second,
    })),
  };
}

type QueuedHandoffs = {
  handoffs: readonly DeliveryHandoff[];
  resolve: () => void;
  reject: (error: unknown) => void;
};

// Concurrent actions share their hand-offs: one event-API request and one UPDATE per batch
// rather than per action, which is what a burst of sign-ins or API calls costs Inngest and
// the database. A failed send is Inngest's fault, not one action's, so every action in the
// batch hears of it at once rather than each trying again alone; the sweep sends them later.
const handoffQueue = new BatchQueue<QueuedHandoffs>(async (batch) => {
  try {
    await sendHandoffs(batch.flatMap((queued) => queued.handoffs));
  } catch (error) {
    for (const queued of batch) queued.reject(error);
    return;
  }
  for (const queued of batch) queued.resolve();
});

function queueHandoffs(handoffs: readonly DeliveryHandoff[]): Promise<void> {
  return new Promise((resolve, reject) => handoffQueue.push({ handoffs, resolve, reject }));
}

async function sendHandoffs(handoffs: readonly DeliveryHandoff[]): Promise<void> {
  if (handoffs.length === 0) return;
  for (let start = 0; start < handoffs.length; start += SEND_BATCH) {
    const batch = handoffs.slice(start, start + SEND_BATCH);
    await inngest.send(
      batch.map((handoff) =>
        deliveryRequested.create(handoff, {
          id: handoffEventId(handoff.deliveryId, handoff.sequence),
        }),
      ),
    );
    await markDispatched(batch);
  }
}

/** Only the sequence that was sent: a replay that started meanwhile still needs its hand-off. */
async function markDispatched(batch: readonly DeliveryHandoff[]): Promise<void> {
  const sent = sql.join(
    batch.map((handoff) => sql`(${handoff.deliveryId}, ${handoff.sequence}::integer)`),
    sql`, `,
  );
  await db
    .update(webhookDeliveries)
    .set({ dispatchedAt: new Date() })
    .where(
      and(
        isNull(webhookDeliveries.dispatchedAt),
        sql`(${webhookDeliveries.id}, ${webhookDeliveries.sequence}) in (${sent})`,
      ),
    );
}
