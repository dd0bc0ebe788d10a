import { deliveryStatuses } from "@/constants/webhooks";
import { pagingRules } from "@/lib/dashboard/paging-search-params";
import { timeBoundsOf, timeRangeRules } from "@/lib/dashboard/time-range-search-params";
import { oneOrMoreOfRule, type SearchParamRule } from "@/lib/dashboard/unusable-search-params";
import { isWebhookEventType } from "@/lib/webhooks/catalog";
import type { DeliveryLogFilters } from "@/lib/webhooks/delivery-stats";
import {
  type DeliveryLogSearchParams,
  deliveryLogSearchParams,
  timeRangePresets,
} from "./search-params";

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

/** How each key of the delivery log's URL is read, to say what a hand-edited link got wrong. */
export const deliveryLogSearchParamRules: Record<string, SearchParamRule> = {
  ...timeRangeRules(timeRangePresets),
  // An unknown event type has its own message beside the filter (eventTypeError).
  type: {
    label: "Event type",
    accepts: "an event type of the catalog",
    parse: deliveryLogSearchParams.type.parse,
  },
  status: oneOrMoreOfRule("Status", deliveryStatuses),
  ...pagingRules,
};
