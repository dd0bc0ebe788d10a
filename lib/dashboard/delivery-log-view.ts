import "server-only";
import type { WebhookDelivery, WebhookEndpoint } from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import type { Scope } from "@/lib/organizations/scope";
import { type Page, type PageRequest, pageOrFirstPage } from "@/lib/pagination";
import {
  type EndpointReplayFilter,
  listDeliveriesOfCheckedEndpoint,
} from "@/lib/webhooks/deliveries";
import { type LastAttempt, latestAttempts } from "@/lib/webhooks/delivery-log";
import {
  countReplayableFailures,
  type DeliveryLogFilters,
  type DeliveryStats,
  getDeliveryStats,
} from "@/lib/webhooks/delivery-stats";
import { getEndpoint } from "@/lib/webhooks/endpoints";

/** A row of the delivery log: the delivery and what its latest attempt got back. */
export type DeliveryLogEntry = WebhookDelivery & { lastAttempt: LastAttempt | null };

/** Everything one endpoint's delivery log page shows, read within `scope`. */
export type DeliveryLogView = {
  endpoint: WebhookEndpoint;
  page: Page<DeliveryLogEntry>;
  /** The URL's cursor was not one of ours (edited by hand, say): the first page is shown. */
  cursorIgnored: boolean;
  stats: DeliveryStats;
  /** What "Replay all failed in this view" would replay: its filter and how many match it. */
  replay: { filter: EndpointReplayFilter; failed: number };
};

/**
 * The delivery log of one endpoint. NotFoundError (before anything else is read) when the
 * endpoint is missing or belongs to a tenant outside `scope`.
 */
export async function loadDeliveryLogView(
  scope: Scope,
  endpointId: string,
  filters: DeliveryLogFilters,
  pageRequest: PageRequest,
  now: Date = new Date(),
  tx: Executor = db,
): Promise<DeliveryLogView> {
  const endpoint = await getEndpoint(scope, endpointId, tx);
  const replayFilter = replayFilterOf(filters);
  const [{ page, cursorIgnored, attempts }, stats, failed] = await Promise.all([
    pageOrFirstPage(
      (request) => listDeliveriesOfCheckedEndpoint({ ...filters, endpointId }, request, tx),
      pageRequest,
    ).then(async (listed) => ({
      ...listed,
      // Chained to the list alone, so it does not wait for the counts.
      attempts: await latestAttempts(listed.page.data, tx),
    })),
    getDeliveryStats(endpoint, filters, now, tx),
    // A view whose status filter leaves Failed out has nothing to replay.
    filters.statuses?.length && !filters.statuses.includes("failed")
      ? 0
      : countReplayableFailures(endpoint, replayFilter, tx),
  ]);
  return {
    endpoint,
    page: {
      data: page.data.map((delivery) => ({
        ...delivery,
        lastAttempt: attempts.get(delivery.id) ?? null,
      })),
      nextCursor: page.nextCursor,
    },
    cursorIgnored,
    stats,
    replay: { filter: replayFilter, failed },
  };
}

/** The view's filters as the endpoint replay takes them (its status is Failed by definition). */
export function replayFilterOf(filters: DeliveryLogFilters): EndpointReplayFilter {
  return { since: filters.from, until: filters.to, eventType: filters.eventType };
}
