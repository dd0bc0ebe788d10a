import "server-only";
import { and, count, eq, gte, inArray, sql } from "drizzle-orm";
import type { DeliveryStatus } from "@/constants/webhooks";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import type { Scope } from "@/lib/organizations/scope";
import { newestFirst } from "@/lib/pagination";

/**
 * How each endpoint has been doing lately, for the Webhooks endpoints table: deliveries created
 * in the last 24 hours, how many of the finished ones succeeded, and the newest delivery
 * whenever it was. Read in one statement for a whole page of endpoints.
 */

/** The window the table's counts and success rate cover. */
export const ENDPOINT_STATS_WINDOW_MS = 24 * 60 * 60 * 1000;

export type EndpointStats = {
  /** Deliveries created in the window, in any status. */
  deliveries: number;
  succeeded: number;
  failed: number;
  /**
   * succeeded / (succeeded + failed), 0 to 1: deliveries still Queued or Retrying have no
   * outcome yet and do not count. Null when none finished in the window.
   */
  successRate: number | null;
  /** The newest delivery, even one older than the window; null when there never was one. */
  lastDelivery: { createdAt: Date; status: DeliveryStatus } | null;
};

export const noEndpointStats: EndpointStats = {
  deliveries: 0,
  succeeded: 0,
  failed: 0,
  successRate: null,
  lastDelivery: null,
};

/**
 * Stats of the endpoints named, keyed by endpoint id. Endpoints outside `scope` (or unknown) are
 * left out, so a caller cannot learn anything about another tenant's endpoint by naming it.
 *
 * Each endpoint costs two short range scans of `webhook_deliveries_endpoint_created_idx`
 * (endpoint_id, created_at desc, id desc): one row for the newest delivery, the window's rows
 * for the counts. No scan of the whole deliveries table, however old the log.
 */
export async function getEndpointStats(
  scope: Scope,
  endpointIds: readonly string[],
  now: Date = new Date(),
  tx: Executor = db,
): Promise<Map<string, EndpointStats>> {
  const stats = new Map<string, EndpointStats>();
  if (endpointIds.length === 0) return stats;
  const since = new Date(now.getTime() - ENDPOINT_STATS_WINDOW_MS);

  const newest = tx
    .select({
      createdAt: webhookDeliveries.createdAt,
      status: webhookDeliveries.status,
    })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, webhookEndpoints.id))
    // NULLS LAST, as the index is written: a plain DESC would not match it and sort instead.
    .orderBy(...newestFirst(webhookDeliveries.createdAt, webhookDeliveries.id))
    .limit(1)
    .as("newest_delivery");

  const recent = tx
    .select({
      deliveries: count().as("deliveries"),
      succeeded: count(sql`case when ${webhookDeliveries.status} = 'success' then 1 end`).as(
        "succeeded",
      ),
      failed: count(sql`case when ${webhookDeliveries.status} = 'failed' then 1 end`).as("failed"),
    })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, webhookEndpoints.id),
        gte(webhookDeliveries.createdAt, since),
      ),
    )
    .as("recent_deliveries");

  const rows = await tx
    .select({
      endpointId: webhookEndpoints.id,
      deliveries: recent.deliveries,
      succeeded: recent.succeeded,
      failed: recent.failed,
      lastCreatedAt: newest.createdAt,
      lastStatus: newest.status,
    })
    .from(webhookEndpoints)
    .leftJoinLateral(recent, sql`true`)
    .leftJoinLateral(newest, sql`true`)
    .where(
      and(
        inArray(webhookEndpoints.id, [...endpointIds]),
        scope.kind === "organization"
          ? eq(webhookEndpoints.organizationId, scope.organizationId)
          : undefined,
      ),
    );

  for (const row of rows) {
    const succeeded = Number(row.succeeded ?? 0);
    const failed = Number(row.failed ?? 0);
    stats.set(row.endpointId, {
      deliveries: Number(row.deliveries ?? 0),
      succeeded,
      failed,
      successRate: succeeded + failed > 0 ? succeeded / (succeeded + failed) : null,
      lastDelivery:
        row.lastCreatedAt && row.lastStatus
          ? { createdAt: row.lastCreatedAt, status: row.lastStatus }
          : null,
    });
  }
  return stats;
}
