"use client";

import { ClientNavigation } from "@/components/dashboard/client-navigation";
import { DeliveryStatusBadge } from "@/components/dashboard/delivery-status-badge";
import { LocalTime } from "@/components/dashboard/local-time";
import { logTableClassName } from "@/components/dashboard/log-table";
import { Table, TableHead, TableHeader, TableRow } from "@/components/ui/table";
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
  return (
    <ClientNavigation className="rounded-lg border">
      <Table
        className={`${logTableClassName} [&_td.clip]:max-w-56 [&_td.num]:text-right [&_td.num]:tabular-nums [&_th.num]:text-right`}
      >
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
            <tr key={delivery.id} data-delivery-id={delivery.id} data-status={delivery.status}>
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
              <td className="clip font-mono text-xs">{delivery.eventType}</td>
              <td className="clip font-mono text-xs text-muted-foreground">{delivery.eventId}</td>
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
