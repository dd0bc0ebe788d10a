import Link from "next/link";
import { EmptyResults } from "@/components/dashboard/empty-results";
import { Button } from "@/components/ui/button";

/** Nothing to show: either nothing was ever sent to this endpoint, or the filters exclude it all. */
export function EmptyState({
  endpointId,
  filtered,
  reason,
}: {
  endpointId: string;
  filtered: boolean;
  /** A filter that alone excludes everything, in words (a time range that ends before it starts). */
  reason?: string | null;
}) {
  return filtered ? (
    <EmptyResults title="No deliveries match these filters">
      {reason ? <p className="text-sm text-muted-foreground">{reason}</p> : null}
      <Button asChild variant="outline" size="sm">
        <Link href={`/webhooks/${endpointId}`}>Clear filters</Link>
      </Button>
    </EmptyResults>
  ) : (
    <EmptyResults title="No deliveries yet">
      <p className="max-w-md text-sm text-muted-foreground">
        Every event sent to this endpoint appears here with each attempt and its answer, as it
        happens. Send a test event from the Webhooks page to see one.
      </p>
    </EmptyResults>
  );
}
