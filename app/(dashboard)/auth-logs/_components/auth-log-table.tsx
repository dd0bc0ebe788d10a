"use client";

import { StatusBadge } from "@/components/dashboard/auth-status-badge";
import { ClientNavigation } from "@/components/dashboard/client-navigation";
import { LocalTime } from "@/components/dashboard/local-time";
import { logTableClassName } from "@/components/dashboard/log-table";
import { Table, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { AuthLogRow } from "./auth-log-rows";

/**
 * The entries, newest first. Each row's time is a real link to the entry (one tab stop per row,
 * opened with Enter), and a click anywhere else on the row opens it too (see ClientNavigation).
 * Clipped cells show their whole text as a tooltip (ClientNavigation too).
 *
 * A client component fed plain rows (see auth-log-rows.ts): the page sends the rows' data once,
 * rather than every cell as a server-rendered element, which cuts the server's work per page.
 */
export function AuthLogTable({ rows, now }: { rows: AuthLogRow[]; now: number }) {
  return (
    // Narrow (a laptop split screen), the table keeps what answers "why can't they sign in"
    // (time, status, user, summary) and drops columns by width, least needed first: method and
    // application, then organization. Every one is on the entry's page.
    <ClientNavigation className="@container rounded-lg border">
      <Table
        className={`${logTableClassName} [&_td.clip.wide]:max-w-48 @min-[40rem]:[&_td.clip.wide]:max-w-72 [&_.narrow-hidden]:hidden @min-[48rem]:[&_.narrow-hidden.org]:table-cell @min-[62rem]:[&_.narrow-hidden.detail]:table-cell [&_td.clip]:max-w-52`}
      >
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Time</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>User</TableHead>
            <TableHead className="narrow-hidden detail">Method</TableHead>
            <TableHead className="narrow-hidden org">Organization</TableHead>
            <TableHead className="narrow-hidden detail">Application</TableHead>
            <TableHead>Summary</TableHead>
          </TableRow>
        </TableHeader>
        <tbody>
          {rows.map((entry) => (
            <tr key={entry.id} data-entry-id={entry.id}>
              <td className="tabular-nums">
                <a href={`/auth-logs/${entry.id}`} className="row-link">
                  <LocalTime value={entry.createdAt} now={now} />
                </a>
              </td>
              <td>
                <StatusBadge status={entry.status} />
              </td>
              <td className="clip">
                {entry.email ?? <span className="text-muted-foreground">Not identified</span>}
              </td>
              <td className="narrow-hidden detail">{entry.method}</td>
              <td className="clip narrow-hidden org">{entry.organization}</td>
              <td className="clip narrow-hidden detail">{entry.application}</td>
              <td className="clip wide text-muted-foreground">{entry.summary}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </ClientNavigation>
  );
}
