import {
  createLoader,
  createSearchParamsCache,
  createSerializer,
  type inferParserType,
  parseAsArrayOf,
  parseAsStringLiteral,
} from "nuqs/server";
import { authStatuses } from "@/constants/auth-logs";
import { pagingSearchParams, parseAsText } from "@/lib/dashboard/paging-search-params";
import { timeRangeSearchParams } from "@/lib/dashboard/time-range-search-params";

/**
 * The Auth Logs view as URL state: every filter, the page size and the cursor, so a copied URL
 * reproduces the view. Safe on both sides: the page parses it with the cache, the filter bar
 * drives it with useQueryStates, links are built with the serializer.
 */
export const timeRangePresets = {
  "15m": { label: "Last 15 minutes", ms: 15 * 60_000 },
  "1h": { label: "Last hour", ms: 60 * 60_000 },
  "24h": { label: "Last 24 hours", ms: 24 * 60 * 60_000 },
  "7d": { label: "Last 7 days", ms: 7 * 24 * 60 * 60_000 },
  "30d": { label: "Last 30 days", ms: 30 * 24 * 60 * 60_000 },
} as const;
export const authLogSearchParams = {
  ...timeRangeSearchParams(timeRangePresets),
  /** Case-insensitive; a trailing `*` matches by prefix. */
  email: parseAsText,
  status: parseAsArrayOf(parseAsStringLiteral(authStatuses)).withDefault([]),
  org: parseAsText,
  ...pagingSearchParams,
};

export type AuthLogSearchParams = inferParserType<typeof authLogSearchParams>;

export const authLogSearchParamsCache = createSearchParamsCache(authLogSearchParams);
export const loadAuthLogSearchParams = createLoader(authLogSearchParams);
export const serializeAuthLogSearchParams = createSerializer(authLogSearchParams);

/** The URL keys that narrow the entries (not paging): what "Clear filters" clears. */
export const filterKeys = ["range", "from", "to", "email", "status", "org"] as const;
