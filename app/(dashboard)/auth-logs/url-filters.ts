import { authStatuses } from "@/constants/auth-logs";
import { type AuthLogFilters, authLogFilterQueryShape } from "@/lib/auth-logs/filters";
import { pagingRules } from "@/lib/dashboard/paging-search-params";
import { timeBoundsOf, timeRangeRules } from "@/lib/dashboard/time-range-search-params";
import { oneOrMoreOfRule, type SearchParamRule } from "@/lib/dashboard/unusable-search-params";
import { type AuthLogSearchParams, authLogSearchParams, timeRangePresets } from "./search-params";

export type ParsedAuthLogView = {
  filters: AuthLogFilters;
  /** Set when the email filter could not be used, saying why. */
  emailError: string | null;
};

/** URL state into the filters the data functions take; presets resolve against `now`. */
export function filtersFromSearchParams(
  params: AuthLogSearchParams,
  now: Date = new Date(),
): ParsedAuthLogView {
  const filters: AuthLogFilters = timeBoundsOf(params, timeRangePresets, now);
  let emailError: string | null = null;
  if (params.email?.trim()) {
    const parsed = authLogFilterQueryShape.email.safeParse(params.email);
    if (parsed.success) filters.email = parsed.data;
    else emailError = parsed.error.issues[0]?.message ?? "is not a usable email filter";
  }
  if (params.status.length) filters.statuses = [...new Set(params.status)];
  if (params.org) filters.organizationId = params.org;
  return { filters, emailError };
}

/** How each key of the Auth Logs URL is read, to say what a hand-edited link got wrong. */
export const authLogSearchParamRules: Record<string, SearchParamRule> = {
  ...timeRangeRules(timeRangePresets),
  email: {
    label: "Email",
    accepts: "an email address, or its beginning followed by *",
    parse: authLogSearchParams.email.parse,
  },
  status: oneOrMoreOfRule("Status", authStatuses),
  org: {
    label: "Organization",
    accepts: "an organization id from the picker",
    parse: authLogSearchParams.org.parse,
  },
  ...pagingRules,
};
