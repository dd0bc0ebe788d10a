import { ArrowLeftIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { SearchParams } from "nuqs/server";
import { ActivityChart, type ChartSeries } from "@/components/dashboard/activity-chart";
import { deliveryStatusStyles } from "@/components/dashboard/delivery-status-badge";
import { RememberListAddress } from "@/components/dashboard/list-return";
import { LiveRefresh } from "@/components/dashboard/live-refresh";
import { ResultsFooter } from "@/components/dashboard/results-footer";
import { UnusableSearchParams } from "@/components/dashboard/unusable-search-params";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { DeliveryStatus } from "@/constants/webhooks";
import { requireDashboardScope } from "@/lib/dashboard/access";
import { loadDeliveryLogView } from "@/lib/dashboard/delivery-log-view";
import { describeMatchCount } from "@/lib/dashboard/match-count";
import { queryStringOf } from "@/lib/dashboard/return-path";
import { describeTimeRange, isReversed } from "@/lib/dashboard/time-range-search-params";
import { unusableSearchParams } from "@/lib/dashboard/unusable-search-params";
import { NotFoundError } from "@/lib/errors";
import { chartStatsOf } from "@/lib/time-buckets";
import { describeEventTypes } from "@/lib/webhooks/catalog";
import { toDeliveryRow } from "./_components/delivery-rows";
import { DeliveryTable } from "./_components/delivery-table";
import { EmptyState } from "./_components/empty-state";
import { FilterBar } from "./_components/filter-bar";
import { ReplayFailedButton } from "./_components/replay-failed-button";
import {
  type DeliveryLogSearchParams,
  deliveryLogSearchParamsCache,
  serializeDeliveryLogSearchParams,
  timeRangePresets,
} from "./search-params";
import { deliveryLogSearchParamRules, filtersFromSearchParams } from "./url-filters";

export const metadata: Metadata = { title: "Delivery logs" };

// Bottom to top: what ended, then what is still on its way.
const chartSeries: ChartSeries<DeliveryStatus>[] = (
  ["success", "failed", "retrying", "queued"] as const
).map((status) => ({
  key: status,
  label: deliveryStatusStyles.labels[status],
  fill: deliveryStatusStyles.fill[status],
  swatch: deliveryStatusStyles.swatch[status],
}));

const eventTypes = describeEventTypes().map(({ type, description }) => ({ type, description }));

/** How often the page re-renders itself: briskly while something is on its way. */
const LIVE_MS = 2_000;
const IDLE_MS = 5_000;

export default async function DeliveryLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ endpointId: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const [{ endpointId }, raw] = await Promise.all([params, searchParams]);
  const search = deliveryLogSearchParamsCache.parse(raw);
  const problems = unusableSearchParams(raw, deliveryLogSearchParamRules);
  const viewer = await requireDashboardScope(
    `/webhooks/${encodeURIComponent(endpointId)}${queryStringOf(raw)}`,
  );
  const now = new Date();
  const { filters, eventTypeError } = filtersFromSearchParams(search, now);
  const view = await loadDeliveryLogView(
    viewer.scope,
    endpointId,
    filters,
    { limit: search.limit, cursor: search.cursor },
    now,
  ).catch((error: unknown) => {
    // Missing and another tenant's endpoint look the same: the id reveals nothing.
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const { endpoint, page, stats, replay } = view;
  const inFlight = page.data.some(
    (delivery) => delivery.status === "queued" || delivery.status === "retrying",
  );
  const filtered = Boolean(filters.from || filters.to || filters.eventType || filters.statuses);

  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-4">
      <div>
        <Button asChild variant="ghost" size="sm" className="-ml-2">
          <Link href="/webhooks">
            <ArrowLeftIcon aria-hidden="true" />
            Webhooks
          </Link>
        </Button>
      </div>
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div className="grid min-w-0 gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Delivery logs</h1>
          <p className="truncate font-mono text-sm" data-testid="endpoint-url">
            {endpoint.url}
          </p>
          {endpoint.description ? (
            <p className="text-sm text-muted-foreground">{endpoint.description}</p>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <p
            className="text-sm text-muted-foreground tabular-nums"
            aria-live="polite"
            data-testid="match-count"
          >
            {describeMatchCount(stats, { one: "delivery", many: "deliveries" })}
          </p>
          <ReplayFailedButton
            endpointId={endpoint.id}
            failed={replay.failed}
            filter={{
              since: replay.filter.since?.toISOString(),
              until: replay.filter.until?.toISOString(),
              event_type: replay.filter.eventType,
            }}
            scopeDescription={describeReplayScope(search, filters.eventType)}
          />
        </div>
      </header>
      <FilterBar eventTypes={eventTypes} eventTypeError={eventTypeError} />
      <RememberListAddress list={`/webhooks/${endpoint.id}`} />
      {problems.length > 0 ? <UnusableSearchParams problems={problems} /> : null}
      {view.cursorIgnored ? (
        <Alert>
          <AlertDescription>
            That page link was not valid, so the newest deliveries are shown.
          </AlertDescription>
        </Alert>
      ) : null}
      <ActivityChart
        stats={chartStatsOf(stats)}
        series={chartSeries}
        noun={{ one: "delivery", many: "deliveries" }}
      />
      {page.data.length > 0 ? (
        <>
          <DeliveryTable
            endpointId={endpoint.id}
            rows={page.data.map(toDeliveryRow)}
            now={now.getTime()}
          />
          <ResultsFooter
            newestHref={
              search.cursor
                ? `/webhooks/${endpoint.id}${serializeDeliveryLogSearchParams({ ...search, cursor: null })}`
                : null
            }
            olderHref={
              page.nextCursor
                ? `/webhooks/${endpoint.id}${serializeDeliveryLogSearchParams({ ...search, cursor: page.nextCursor })}`
                : null
            }
            shown={page.data.length}
          />
        </>
      ) : (
        <EmptyState
          endpointId={endpoint.id}
          filtered={filtered || Boolean(search.cursor)}
          reason={isReversed(filters) ? describeTimeRange(search, timeRangePresets) : null}
        />
      )}
      {/* Older pages are history; the first page, or any page with deliveries on their way,
          follows along. */}
      {inFlight || !search.cursor ? (
        <LiveRefresh intervalMs={inFlight ? LIVE_MS : IDLE_MS} />
      ) : null}
    </div>
  );
}

/** The replay's reach in words, for its confirmation. */
function describeReplayScope(
  search: DeliveryLogSearchParams,
  eventType: string | undefined,
): string {
  const parts: string[] = [];
  if (eventType) parts.push(`of type ${eventType}`);
  if (search.range && search.range !== "custom") {
    parts.push(`from the ${timeRangePresets[search.range].label.toLowerCase()}`);
  } else if (search.from || search.to) {
    parts.push(
      `created ${search.from ? `from ${search.from.toISOString()}` : ""}${search.from && search.to ? " " : ""}${search.to ? `up to ${search.to.toISOString()}` : ""}`,
    );
  }
  return parts.length ? parts.join(" ") : "of this endpoint";
}
