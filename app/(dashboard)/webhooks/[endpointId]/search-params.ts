import {
  createLoader,
  createSearchParamsCache,
  createSerializer,
  parseAsArrayOf,
  parseAsIsoDateTime,
  parseAsString,
  parseAsStringLiteral,
} from "nuqs/server";
import { type DeliveryStatus, deliveryStatuses } from "@/db/schema/webhooks";
import { type PageSize, pagingSearchParams } from "@/lib/dashboard/paging-search-params";

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
export type TimeRangePreset = keyof typeof timeRangePresets;
export const timeRanges = ["5m", "15m", "1h", "6h", "24h", "7d", "30d", "custom"] as const;
export type TimeRange = (typeof timeRanges)[number];

export const deliveryLogSearchParams = {
  /** A preset relative to now, or `custom` for the absolute `from`/`to`. Absent: any time. */
  range: parseAsStringLiteral(timeRanges),
  /** Inclusive bounds of a custom range, ISO 8601 in UTC. */
  from: parseAsIsoDateTime,
  to: parseAsIsoDateTime,
  /**
   * An event type of the catalog. A plain string here, checked on the server: the catalog's
   * schemas need not travel to the browser just to parse a URL.
   */
  type: parseAsString,
  status: parseAsArrayOf(parseAsStringLiteral(deliveryStatuses)).withDefault([]),
  ...pagingSearchParams,
};

export type DeliveryLogSearchParams = {
  range: TimeRange | null;
  from: Date | null;
  to: Date | null;
  type: string | null;
  status: DeliveryStatus[];
  limit: PageSize;
  cursor: string | null;
};

export const deliveryLogSearchParamsCache = createSearchParamsCache(deliveryLogSearchParams);
export const loadDeliveryLogSearchParams = createLoader(deliveryLogSearchParams);
export const serializeDeliveryLogSearchParams = createSerializer(deliveryLogSearchParams);

/** The URL keys that narrow the deliveries (not paging): what "Clear filters" clears. */
export const filterKeys = ["range", "from", "to", "type", "status"] as const;
