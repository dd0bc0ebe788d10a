import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { ActivityChart, type ChartSeries } from "@/components/dashboard/activity-chart";
import { authStatusStyles } from "@/components/dashboard/auth-status-badge";
import { RememberListAddress } from "@/components/dashboard/list-return";
import { ResultsFooter } from "@/components/dashboard/results-footer";
import { UnusableSearchParams } from "@/components/dashboard/unusable-search-params";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { type AuthStatus, authStatuses } from "@/constants/auth-logs";
import type { FilterName } from "@/lib/auth-logs/stats";
import { requireDashboardScope } from "@/lib/dashboard/access";
import { loadAuthLogView } from "@/lib/dashboard/auth-log-view";
import { describeMatchCount } from "@/lib/dashboard/match-count";
import { queryStringOf } from "@/lib/dashboard/return-path";
import { describeTimeRange } from "@/lib/dashboard/time-range-search-params";
import { unusableSearchParams } from "@/lib/dashboard/unusable-search-params";
import { chartStatsOf } from "@/lib/time-buckets";
import { toAuthLogRow } from "./_components/auth-log-rows";
import { AuthLogTable } from "./_components/auth-log-table";
import { EmptyPage, EmptyState } from "./_components/empty-state";
import { FilterBar } from "./_components/filter-bar";
import {
  type AuthLogSearchParams,
  authLogSearchParamsCache,
  serializeAuthLogSearchParams,
  timeRangePresets,
} from "./search-params";
import { authLogSearchParamRules, filtersFromSearchParams } from "./url-filters";

export const metadata: Metadata = { title: "Auth Logs" };

const statusSeries: ChartSeries<AuthStatus>[] = authStatuses.map((status) => ({
  key: status,
  label: authStatusStyles.labels[status],
  fill: authStatusStyles.fill[status],
  swatch: authStatusStyles.swatch[status],
}));

export default async function AuthLogsPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const raw = await searchParams;
  const params = authLogSearchParamsCache.parse(raw);
  const viewer = await requireDashboardScope(`/auth-logs${queryStringOf(raw)}`);
  const now = new Date();
  const { filters, emailError } = filtersFromSearchParams(params, now);
  const view = await loadAuthLogView(
    viewer.scope,
    filters,
    { limit: params.limit, cursor: params.cursor },
    now,
  );
  const organizationName = (id: string) =>
    view.organizations.find((organization) => organization.id === id)?.name ?? id;
  const problems = unusableSearchParams(raw, authLogSearchParamRules);
  if (params.org && !view.organizations.some((organization) => organization.id === params.org)) {
    problems.push(`Organization "${params.org}" is not one you can see, so no entries match it.`);
  }
  const newestHref = `/auth-logs${serializeAuthLogSearchParams({ ...params, cursor: null })}`;

  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Auth Logs</h1>
        <p
          className="text-sm text-muted-foreground tabular-nums"
          aria-live="polite"
          data-testid="match-count"
        >
          {describeMatchCount(view.stats, { one: "entry", many: "entries" })}
        </p>
      </div>
      <FilterBar
        organizations={view.organizations}
        lockedOrganization={viewer.organization}
        emailError={emailError}
      />
      <RememberListAddress list="/auth-logs" />
      {problems.length > 0 ? <UnusableSearchParams problems={problems} /> : null}
      {view.cursorIgnored ? (
        <Alert>
          <AlertDescription>
            That page link was not valid, so the newest entries are shown.
          </AlertDescription>
        </Alert>
      ) : null}
      <ActivityChart
        stats={chartStatsOf(view.stats)}
        series={statusSeries}
        noun={{ one: "entry", many: "entries" }}
      />
      {view.page.data.length > 0 ? (
        <>
          <AuthLogTable
            rows={view.page.data.map((entry) => toAuthLogRow(entry, view.names))}
            now={now.getTime()}
          />
          <ResultsFooter
            newestHref={params.cursor ? newestHref : null}
            olderHref={
              view.page.nextCursor
                ? `/auth-logs${serializeAuthLogSearchParams({ ...params, cursor: view.page.nextCursor })}`
                : null
            }
            shown={view.page.data.length}
          />
        </>
      ) : params.cursor ? (
        <EmptyPage newestHref={newestHref} />
      ) : (
        <EmptyState
          descriptions={describeFilters(params, emailError ? null : params.email, organizationName)}
          excludedBy={view.excludedBy}
        />
      )}
    </div>
  );
}

function describeFilters(
  params: AuthLogSearchParams,
  email: string | null,
  organizationName: (id: string) => string,
): Partial<Record<FilterName, string>> {
  const descriptions: Partial<Record<FilterName, string>> = {};
  const time = describeTimeRange(params, timeRangePresets);
  if (time) descriptions.time = time;
  if (email) {
    descriptions.email = email.endsWith("*")
      ? `Email starts with "${email.slice(0, -1)}"`
      : `Email is "${email}"`;
  }
  if (params.status.length) {
    descriptions.status = `Status is ${params.status.map((status) => authStatusStyles.labels[status]).join(" or ")}`;
  }
  if (params.org) descriptions.organization = `Organization is ${organizationName(params.org)}`;
  return descriptions;
}
