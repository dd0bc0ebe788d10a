import type { Metadata } from "next";
import Link from "next/link";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { WebhookEndpoint } from "@/db/schema";
import { listOrganizationOptions, namesForEntries } from "@/lib/auth-logs/names";
import { requireDashboardScope } from "@/lib/dashboard/access";
import { ValidationError } from "@/lib/errors";
import type { Scope } from "@/lib/organizations/scope";
import { MAX_PAGE_SIZE, type Page } from "@/lib/pagination";
import { describeEventTypes } from "@/lib/webhooks/catalog";
import { getEndpointStats, noEndpointStats } from "@/lib/webhooks/endpoint-stats";
import { listEndpoints } from "@/lib/webhooks/endpoints";
import { AddEndpointButton } from "./_components/add-endpoint-button";
import { EmptyState } from "./_components/empty-state";
import { EndpointTable } from "./_components/endpoint-table";
import { EndpointsProvider } from "./_components/endpoints-context";
import type { EndpointSummary } from "./_components/types";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { cursor: rawCursor } = await searchParams;
  const cursor = typeof rawCursor === "string" && rawCursor ? rawCursor : null;
  const viewer = await requireDashboardScope(
    cursor ? `/webhooks?cursor=${encodeURIComponent(cursor)}` : "/webhooks",
  );
  const now = new Date();
  const { page, cursorIgnored } = await listPage(viewer.scope, cursor);
  const [stats, names, organizations] = await Promise.all([
    getEndpointStats(
      viewer.scope,
      page.data.map((endpoint) => endpoint.id),
      now,
    ),
    namesForEntries(
      page.data.map((endpoint) => ({ organizationId: endpoint.organizationId, clientId: null })),
    ),
    viewer.organization ? [] : listOrganizationOptions(viewer.scope),
  ]);
  const rows = page.data.map((endpoint) => ({
    endpoint: summarize(endpoint, names.organizations),
    stats: stats.get(endpoint.id) ?? noEndpointStats,
  }));
  // Only what the picker shows: the catalog's JSON Schemas and examples stay on the server.
  const eventTypes = describeEventTypes().map(({ type, description }) => ({ type, description }));

  return (
    <EndpointsProvider
      value={{ eventTypes, organizations, lockedOrganization: viewer.organization }}
    >
      <div className="grid grid-cols-[minmax(0,1fr)] gap-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div className="grid gap-1">
            <h1 className="text-2xl font-semibold tracking-tight">Webhooks</h1>
            <p className="text-sm text-muted-foreground">
              Endpoints that receive signed events, and how their deliveries went over the last 24
              hours.
            </p>
          </div>
          {/* One button, always here: the dialog it owns must outlive the empty state it ends. */}
          <AddEndpointButton />
        </div>
        {cursorIgnored ? (
          <Alert>
            <AlertDescription>
              That page link was not valid, so the newest endpoints are shown.
            </AlertDescription>
          </Alert>
        ) : null}
        {rows.length > 0 ? (
          <EndpointTable rows={rows} now={now.getTime()} />
        ) : cursor ? (
          <p className="text-sm text-muted-foreground">No more endpoints.</p>
        ) : (
          <EmptyState />
        )}
        {cursor || page.nextCursor ? (
          <nav aria-label="Endpoint pages" className="flex justify-end gap-2">
            {cursor ? (
              <Button asChild variant="outline" size="sm">
                <Link href="/webhooks">Newest endpoints</Link>
              </Button>
            ) : null}
            {page.nextCursor ? (
              <Button asChild variant="outline" size="sm">
                <Link href={`/webhooks?cursor=${encodeURIComponent(page.nextCursor)}`}>
                  Older endpoints
                </Link>
              </Button>
            ) : null}
          </nav>
        ) : null}
      </div>
    </EndpointsProvider>
  );
}

/** One page of endpoints; a cursor that is not ours (edited by hand) falls back to the first. */
async function listPage(
  scope: Scope,
  cursor: string | null,
): Promise<{ page: Page<WebhookEndpoint>; cursorIgnored: boolean }> {
  try {
    return {
      page: await listEndpoints(scope, { limit: MAX_PAGE_SIZE, cursor }),
      cursorIgnored: false,
    };
  } catch (error) {
    if (!(error instanceof ValidationError) || !cursor) throw error;
    return {
      page: await listEndpoints(scope, { limit: MAX_PAGE_SIZE, cursor: null }),
      cursorIgnored: true,
    };
  }
}

/** The fields the browser gets, named one by one: the row also holds the signing secrets. */
function summarize(endpoint: WebhookEndpoint, organizations: Map<string, string>): EndpointSummary {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    rateLimitPerSecond: endpoint.rateLimitPerSecond,
    enabled: endpoint.enabled,
    organizationId: endpoint.organizationId,
    organizationName:
      endpoint.organizationId === null
        ? "Every organization"
        : (organizations.get(endpoint.organizationId) ?? endpoint.organizationId),
  };
}
