import { timeBoundsOf } from "@/lib/dashboard/time-range-search-params";
import { isWebhookEventType } from "@/lib/webhooks/catalog";
import type { DeliveryLogFilters } from "@/lib/webhooks/delivery-stats";
import { type DeliveryLogSearchParams, timeRangePresets } from "./search-params";

export type ParsedDeliveryLogView = {
  filters: DeliveryLogFilters;
  /** Set when the URL named an event type the catalog does not have. */
  eventTypeError: string | null;
};

/** URL state into the filters the data functions take; presets resolve against `now`. */
export function filtersFromSearchParams(
  params: DeliveryLogSearchParams,
  now: Date = new Date(),
): ParsedDeliveryLogView {
  // Both ends pinned: the list, the chart and "replay all failed" then mean the same instants.
  const filters: DeliveryLogFilters = timeBoundsOf(params, timeRangePresets, now, { pinEnd: true });
  let eventTypeError: string | null = null;
  if (params.type) {
    if (isWebhookEventType(params.type)) filters.eventType = params.type;
    else eventTypeError = `"${params.type}" is not an event type, so it is not applied`;
  }
  if (params.status.length) filters.statuses = [...new Set(params.status)];
  return { filters, eventTypeError };
}
