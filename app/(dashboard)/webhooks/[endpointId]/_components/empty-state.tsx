import { SearchXIcon } from "lucide-react";
import Link from "next/link";
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
  return (
    <section className="grid place-items-center gap-3 rounded-lg border border-dashed p-10 text-center">
      <SearchXIcon aria-hidden="true" className="size-6 text-muted-foreground" />
      {filtered ? (
        <>
          <h2 className="font-medium">No deliveries match these filters</h2>
          {reason ? <p className="text-sm text-muted-foreground">{reason}</p> : null}
          <Button asChild variant="outline" size="sm">
            <Link href={`/webhooks/${endpointId}`}>Clear filters</Link>
          </Button>
        </>
      ) : (
        <>
          <h2 className="font-medium">No deliveries yet</h2>
          <p className="max-w-md text-sm text-muted-foreground">
            Every event sent to this endpoint appears here with each attempt and its answer, as it
            happens. Send a test event from the Webhooks page to see one.
          </p>
        </>
      )}
    </section>
  );
}
