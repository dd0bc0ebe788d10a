import "server-only";
import { and, count, eq, sql } from "drizzle-orm";
import { type DeliveryStatus, deliveryStatuses } from "@/constants/webhooks";
import { type WebhookEndpoint, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import {
  type BucketStats,
  EXACT_LIMIT,
  type StatusSource,
  statusCountsOverTime,
} from "@/lib/time-buckets";
import {
  type DeliveryFilter,
  deliveryConditions,
  type EndpointReplayFilter,
  failedInRangeConditions,
} from "./deliveries";

/**
 * Counts and the per-bucket chart of one endpoint's delivery log, for the Webhooks dashboard.
 * They take an endpoint already read through the caller's Scope (getEndpoint), so they cannot be
 * pointed at another tenant's deliveries, and they share the list's WHERE clause
 * (deliveryConditions), so the chart, the count and the rows always agree on what matches.
 */

export type DeliveryStats = BucketStats<DeliveryStatus>;
export type DeliveryLogFilters = Omit<DeliveryFilter, "endpointId">;

const deliverySource: StatusSource<DeliveryStatus> = {
  table: webhookDeliveries,
  createdAt: webhookDeliveries.createdAt,
  status: webhookDeliveries.status,
  statuses: deliveryStatuses,
};

/**
 * Deliveries per time bucket and status over the filter's range (else the oldest match to now):
 * exact up to EXACT_LIMIT matches, estimated from a page sample beyond (lib/time-buckets.ts).
 */
export async function getDeliveryStats(
  endpoint: WebhookEndpoint,
  filters: DeliveryLogFilters,
  now: Date = new Date(),
  tx: Executor = db,
  // Tests lower it to reach the estimate without writing tens of thousands of rows.
  exactLimit: number = EXACT_LIMIT,
): Promise<DeliveryStats> {
  const from = filters.from ?? (await oldestDelivery(endpoint, filters, tx));
  if (!from)
    return { total: 0, exact: true, atLeast: false, range: null, bucketMs: 0, buckets: [] };
  return statusCountsOverTime(
    deliverySource,
    deliveryConditions({ ...filters, endpointId: endpoint.id }),
    { from, to: filters.to },
    now,
    tx,
    exactLimit,
  );
}

/**
 * The creation time of the oldest matching delivery: where an open-ended chart starts. Asked
 * once per status and the least taken, because each `status = …` walks its own slice of the
 * (endpoint_id, status, created_at) index from the oldest end, whereas `status IN (…)` makes
 * PostgreSQL walk the whole log backwards when the statuses asked for are rare and recent
 * (Queued, Retrying): hundreds of milliseconds on a 100,000-delivery endpoint.
 */
async function oldestDelivery(
  endpoint: WebhookEndpoint,
  filters: DeliveryLogFilters,
  tx: Executor,
): Promise<Date | undefined> {
  const statuses = filters.statuses?.length ? filters.statuses : deliveryStatuses;
  const oldestPerStatus = statuses.map(
    (status) =>
      sql`(select ${webhookDeliveries.createdAt} from ${webhookDeliveries}
        where ${deliveryConditions({ ...filters, endpointId: endpoint.id, statuses: [status] })}
        order by ${webhookDeliveries.createdAt} asc nulls first limit 1)`,
  );
  const [row] = await tx
    .select({
      oldest: sql`least(${sql.join(oldestPerStatus, sql`, `)})`.mapWith(
        webhookDeliveries.createdAt,
      ),
    })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, endpoint.id));
  return (row?.oldest as Date | null) ?? undefined;
}

/**
 * How many Failed deliveries `replayFailedDeliveries(scope, endpoint.id, filter)` would replay
 * right now: the number the dashboard asks to confirm. Exact; the partial index on the endpoint's
 * Failed deliveries keeps it to an index-only count of just those.
 */
export async function countReplayableFailures(
  endpoint: WebhookEndpoint,
  filter: EndpointReplayFilter,
  tx: Executor = db,
): Promise<number> {
  const [row] = await tx
    .select({ failed: count() })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpoint.id),
        eq(webhookDeliveries.status, "failed"),
        ...failedInRangeConditions(filter),
      ),
    );
  return Number(row?.failed ?? 0);
}
