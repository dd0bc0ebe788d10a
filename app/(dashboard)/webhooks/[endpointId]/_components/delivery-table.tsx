"use client";

import { LocalTime } from "@/components/auth-logs/local-time";
import { ClientNavigation } from "@/components/dashboard/client-navigation";
import { Table, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DeliveryStatusBadge } from "@/components/webhooks/delivery-status-badge";
import type { DeliveryRow } from "./delivery-rows";

/**
 * One endpoint's deliveries, newest first. Each row's time is a real link to the delivery (one
 * tab stop per row, opened with Enter), and a click anywhere else on the row opens it too (see
 * ClientNavigation). A Retrying row says when its next attempt is due.
 *
 * A client component fed plain rows (see delivery-rows.ts): the page sends the rows' data
 * once, rather than every cell as a server-rendered element, which halves what a refresh of a
 * long page costs the server.
 */
export function DeliveryTable({
  endpointId,
  rows,
  now,
}: {
  endpointId: string;
  rows: DeliveryRow[];
  now: number;
}) {
  // Cell styles are set once on the table, as on the Auth Logs: every class string is sent
  // twice (HTML and RSC payload), and this page re-renders itself while it is open.
  return (
    <ClientNavigation className="rounded-lg border">
      <Table className="[&_td]:whitespace-nowrap [&_td]:px-3 [&_td]:py-2 [&_tbody_tr]:border-b [&_tbody_tr]:hover:bg-muted/50 [&_tbody_tr]:focus-within:bg-muted/50 [&_tbody_tr:last-child]:border-0 [&_td.clip]:max-w-56 [&_td.clip]:truncate [&_td.num]:text-right [&_td.num]:tabular-nums [&_th.num]:text-right [&_.row-link]:rounded-sm [&_.row-link]:outline-none [&_.row-link]:focus-visible:ring-[3px] [&_.row-link]:focus-visible:ring-ring/50 [&_tbody_tr]:cursor-pointer">
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Time</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Event type</TableHead>
            <TableHead>Event id</TableHead>
            <TableHead className="num">Attempts</TableHead>
            <TableHead className="num">Response</TableHead>
            <TableHead className="num">Latency</TableHead>
          </TableRow>
        </TableHeader>
        <tbody>
          {rows.map((delivery) => (
            <tr
              key={delivery.id}
              data-delivery-id={delivery.id}
              data-status={delivery.status}
              data-href={`/webhooks/${endpointId}/deliveries/${delivery.id}`}
            >
              <td className="tabular-nums">
                <a href={`/webhooks/${endpointId}/deliveries/${delivery.id}`} className="row-link">
                  <LocalTime value={delivery.createdAt} now={now} />
                </a>
              </td>
              <td>
                <span className="flex items-center gap-2">
                  <DeliveryStatusBadge status={delivery.status} />
                  {delivery.nextAttemptAt ? (
                    <span className="text-xs text-muted-foreground">
                      next <LocalTime value={delivery.nextAttemptAt} now={now} />
                    </span>
                  ) : null}
                </span>
              </td>
              <td className="clip font-mono text-xs" title={delivery.eventType}>
                {delivery.eventType}
              </td>
              <td className="clip font-mono text-xs text-muted-foreground" title={delivery.eventId}>
                {delivery.eventId}
              </td>
              <td className="num">{delivery.attemptCount}</td>
              <td className="num">{delivery.response}</td>
              <td className="num text-muted-foreground">{delivery.latency}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </ClientNavigation>
  );
}
