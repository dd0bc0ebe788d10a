import {
  createLoader,
  createSearchParamsCache,
  createSerializer,
  type inferParserType,
  parseAsArrayOf,
  parseAsStringLiteral,
} from "nuqs/server";
import { deliveryStatuses } from "@/constants/webhooks";
import { pagingSearchParams, parseAsText } from "@/lib/dashboard/paging-search-params";
import { timeRangeSearchParams } from "@/lib/dashboard/time-range-search-params";

/**
 * One endpoint's delivery log as URL state: every filter, the page size and the cursor, so a
 * copied URL reproduces the view. Safe on both sides: the page parses it with the cache, the
 * filter bar drives it with useQueryStates, links are built with the serializer.
 */
export const timeRangePresets = {
  "5m": { label: "Last 5 minutes", ms: 5 * 60_000 },
  "15m": { label: "Last 15 minutes", ms: 15 * 60_000 },
  "1h": { label: "Last hour", ms: 60 * 60_000 },
  "6h": { label: "Last 6 hours", ms: 6 * 60 * 60_000 },
  "24h": { label: "Last 24 hours", ms: 24 * 60 * 60_000 },
  "7d": { label: "Last 7 days", ms: 7 * 24 * 60 * 60_000 },
  "30d": { label: "Last 30 days", ms: 30 * 24 * 60 * 60_000 },
} as const;

export const deliveryLogSearchParams = {
  ...timeRangeSearchParams(timeRangePresets),
  /**
   * An event type of the catalog. A plain string here, checked on the server: the catalog's
   * schemas need not travel to the browser just to parse a URL.
   */
  type: parseAsText,
  status: parseAsArrayOf(parseAsStringLiteral(deliveryStatuses)).withDefault([]),
  ...pagingSearchParams,
};

export type DeliveryLogSearchParams = inferParserType<typeof deliveryLogSearchParams>;

export const deliveryLogSearchParamsCache = createSearchParamsCache(deliveryLogSearchParams);
export const loadDeliveryLogSearchParams = createLoader(deliveryLogSearchParams);
export const serializeDeliveryLogSearchParams = createSerializer(deliveryLogSearchParams);

/** The URL keys that narrow the deliveries (not paging): what "Clear filters" clears. */
export const filterKeys = ["range", "from", "to", "type", "status"] as const;
