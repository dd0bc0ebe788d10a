import type { AuthStatus } from "@/db/schema/auth-logs";
import { cn } from "@/lib/utils";

/** The four auth-log statuses, each with its own colour in both themes. */
export const statusLabels: Record<AuthStatus, string> = {
  initiated: "Initiated",
  pending: "Pending",
  success: "Success",
  failure: "Failure",
};

/** Fill colours for charts and legends, matching the badges. */
export const statusFill: Record<AuthStatus, string> = {
  initiated: "fill-info",
  pending: "fill-warning",
  success: "fill-success",
  failure: "fill-destructive",
};

export const statusSwatch: Record<AuthStatus, string> = {
  initiated: "bg-info",
  pending: "bg-warning",
  success: "bg-success",
  failure: "bg-destructive",
};

const statusText: Record<AuthStatus, string> = {
  initiated: "border-info/30 bg-info/10 text-info",
  pending: "border-warning/40 bg-warning/15 text-foreground",
  success: "border-success/30 bg-success/10 text-success",
  failure: "border-destructive/30 bg-destructive/10 text-destructive",
};

/**
 * The badge's colours (the same as the Badge primitive's status variants) with a short class
 * list of its own: a log page renders one per row, in the HTML and again in the RSC payload.
 */
export function StatusBadge({ status, className }: { status: AuthStatus; className?: string }) {
  return (
    <span
      data-slot="badge"
      data-status={status}
      className={cn(
        "inline-flex w-fit items-center gap-1.5 whitespace-nowrap rounded-md border px-2 py-0.5 text-xs font-medium",
        statusText[status],
        className,
      )}
    >
      <span aria-hidden="true" className={cn("size-1.5 rounded-full", statusSwatch[status])} />
      {statusLabels[status]}
    </span>
  );
}
