import { ChevronRightIcon, ChevronsLeftIcon } from "lucide-react";
import Link from "next/link";
import { PageSizeSelect } from "@/components/dashboard/page-size-select";
import { Button } from "@/components/ui/button";

/**
 * Keyset paging under a log: "Older" continues after the last row shown (the cursor pins the
 * page, so rows arriving meanwhile never shift it); "Newest" returns to the top. Back goes back.
 * The page builds both links from its own URL state.
 */
export function ResultsFooter({
  newestHref,
  olderHref,
  shown,
}: {
  /** The first page with the same filters; null when this is it. */
  newestHref: string | null;
  /** The page after this one; null when this is the last. */
  olderHref: string | null;
  shown: number;
}) {
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-3">
      <PageSizeSelect />
      <div className="flex items-center gap-2">
        <span className="text-sm text-muted-foreground tabular-nums">{shown} on this page</span>
        {newestHref ? (
          <Button asChild variant="outline" size="sm">
            <Link href={newestHref}>
              <ChevronsLeftIcon aria-hidden="true" />
              Newest
            </Link>
          </Button>
        ) : null}
        {olderHref ? (
          <Button asChild variant="outline" size="sm">
            <Link href={olderHref} rel="next">
              Older
              <ChevronRightIcon aria-hidden="true" />
            </Link>
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled>
            Older
            <ChevronRightIcon aria-hidden="true" />
          </Button>
        )}
      </div>
    </nav>
  );
}
