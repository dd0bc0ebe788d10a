import Link from "next/link";
import { DeliveryStatusBadge } from "@/components/dashboard/delivery-status-badge";
import { LocalTime } from "@/components/dashboard/local-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { EndpointStats } from "@/lib/webhooks/endpoint-stats";
import { EndpointActions } from "./endpoint-actions";
import type { EndpointSummary } from "./types";

export type EndpointRow = { endpoint: EndpointSummary; stats: EndpointStats };

/** Types listed by name in a cell; more are counted (and all named in the tooltip). */
const SHOWN_EVENT_TYPES = 2;

const percent = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat("en");

/** The endpoints with how each did over the last 24 hours; each row ends with its "…" menu. */
export function EndpointTable({ rows, now }: { rows: EndpointRow[]; now: number }) {
  return (
    <div className="rounded-lg border">
      <Table className="[&_td]:px-3 [&_td]:py-2 [&_td]:align-top [&_tbody_tr]:border-b [&_tbody_tr]:hover:bg-muted/50 [&_tbody_tr:last-child]:border-0 [&_td.nums]:whitespace-nowrap [&_td.nums]:tabular-nums">
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Endpoint</TableHead>
            <TableHead>Events</TableHead>
            <TableHead>Organization</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="text-right">Success rate (24 h)</TableHead>
            <TableHead className="text-right">Deliveries (24 h)</TableHead>
            <TableHead>Last delivery</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <tbody>
          {rows.map(({ endpoint, stats }) => (
            <tr key={endpoint.id} data-endpoint-id={endpoint.id}>
              <td className="max-w-80">
                <Link
                  href={`/webhooks/${endpoint.id}`}
                  className="block truncate font-mono text-xs font-medium underline-offset-4 hover:underline"
                  title={endpoint.url}
                >
                  {endpoint.url}
                </Link>
                {endpoint.description ? (
                  <p className="mt-1 line-clamp-2 text-xs text-muted-foreground">
                    {endpoint.description}
                  </p>
                ) : null}
              </td>
              <td>
                <EventTypes types={endpoint.eventTypes} />
              </td>
              <td className="max-w-48 truncate">{endpoint.organizationName}</td>
              <td>
                <EnabledBadge enabled={endpoint.enabled} />
              </td>
              <td className="nums text-right">
                {stats.successRate === null ? (
                  <span
                    className="text-muted-foreground"
                    title="No delivery finished in the last 24 hours"
                  >
                    —
                  </span>
                ) : (
                  <span
                    title={`${integer.format(stats.succeeded)} of ${integer.format(stats.succeeded + stats.failed)} finished deliveries succeeded`}
                  >
                    {percent.format(stats.successRate)}
                  </span>
                )}
              </td>
              <td className="nums text-right">{integer.format(stats.deliveries)}</td>
              <td className="nums">
                {stats.lastDelivery ? (
                  <span className="inline-flex items-center gap-2">
                    <DeliveryStatusBadge status={stats.lastDelivery.status} />
                    <LocalTime value={stats.lastDelivery.createdAt.toISOString()} now={now} />
                  </span>
                ) : (
                  <span className="text-muted-foreground">Never</span>
                )}
              </td>
              <td className="text-right">
                <EndpointActions endpoint={endpoint} />
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

function EventTypes({ types }: { types: string[] | null }) {
  if (types === null) return <span>All events</span>;
  const shown = types.slice(0, SHOWN_EVENT_TYPES);
  const more = types.length - shown.length;
  return (
    <span className="flex flex-wrap items-center gap-1" title={types.join(", ")}>
      {shown.map((type) => (
        <code key={type} className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">
          {type}
        </code>
      ))}
      {more > 0 ? <span className="text-xs text-muted-foreground">+{more} more</span> : null}
    </span>
  );
}

function EnabledBadge({ enabled }: { enabled: boolean }) {
  return (
    <Badge variant={enabled ? "success" : "secondary"} data-enabled={enabled}>
      {enabled ? "Enabled" : "Disabled"}
    </Badge>
  );
}
