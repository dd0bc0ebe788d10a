import { StatusBadge as Badge, statusStyles } from "@/components/dashboard/status-badge";
import type { AuthStatus } from "@/constants/auth-logs";

/** The four auth-log statuses, each with its own colour in both themes. */
export const authStatusStyles = statusStyles<AuthStatus>(
  { initiated: "Initiated", pending: "Pending", success: "Success", failure: "Failure" },
  { initiated: "info", pending: "warning", success: "success", failure: "destructive" },
);
export const statusLabels = authStatusStyles.labels;

export function StatusBadge({ status, className }: { status: AuthStatus; className?: string }) {
  return (
    <Badge
      status={status}
      label={authStatusStyles.labels[status]}
      tone={authStatusStyles.tones[status]}
      className={className}
    />
  );
}
