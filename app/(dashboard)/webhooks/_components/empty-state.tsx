import { WebhookIcon } from "lucide-react";

/** No endpoint yet: what one is for. "Add endpoint" sits in the page header. */
export function EmptyState() {
  return (
    <section
      aria-labelledby="webhooks-empty-title"
      className="grid place-items-center gap-3 rounded-lg border border-dashed p-10 text-center"
    >
      <WebhookIcon aria-hidden="true" className="size-6 text-muted-foreground" />
      <h2 id="webhooks-empty-title" className="font-medium">
        No webhook endpoints yet
      </h2>
      <p className="max-w-md text-sm text-muted-foreground">
        Add an endpoint to receive signed events when users sign up, sign in or sign out, and when
        organizations and their directories change. Every delivery and its retries are logged here.
      </p>
      <p className="text-sm text-muted-foreground">Use Add endpoint to create the first one.</p>
    </section>
  );
}
