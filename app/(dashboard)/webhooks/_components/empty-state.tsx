import { WebhookIcon } from "lucide-react";
import { EmptyResults } from "@/components/dashboard/empty-results";

/** No endpoint yet: what one is for. "Add endpoint" sits in the page header. */
export function EmptyState() {
  return (
    <EmptyResults title="No webhook endpoints yet" icon={WebhookIcon}>
      <p className="max-w-md text-sm text-muted-foreground">
        Add an endpoint to receive signed events when users sign up, sign in or sign out, and when
        organizations and their directories change. Every delivery and its retries are logged here.
      </p>
      <p className="text-sm text-muted-foreground">Use Add endpoint to create the first one.</p>
    </EmptyResults>
  );
}
