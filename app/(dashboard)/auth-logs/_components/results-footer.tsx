import { ChevronRightIcon, ChevronsLeftIcon } from "lucide-react";
import Link from "next/link";
import { PageSizeSelect } from "@/components/dashboard/page-size-select";
import { Button } from "@/components/ui/button";
import { type AuthLogSearchParams, serializeAuthLogSearchParams } from "../search-params";

/**
 * Keyset paging: "Older" continues after the last entry shown (the cursor pins the page, so
 * entries arriving meanwhile never shift it); "Newest" returns to the top. Back goes back.
 */
export function ResultsFooter({
  params,
  nextCursor,
  shown,
}: {
  params: AuthLogSearchParams;
  nextCursor: string | null;
  shown: number;
}) {
  const base = { ...params, cursor: null };
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-3">
      <PageSizeSelect />
      <div className="flex items-center gap-2">
        <span className="text-sm text-muted-foreground tabular-nums">{shown} on this page</span>
        {params.cursor ? (
          <Button asChild variant="outline" size="sm">
            <Link href={`/auth-logs${serializeAuthLogSearchParams(base)}`}>
              <ChevronsLeftIcon aria-hidden="true" />
              Newest
            </Link>
          </Button>
        ) : null}
        {nextCursor ? (
          <Button asChild variant="outline" size="sm">
            <Link
              href={`/auth-logs${serializeAuthLogSearchParams({ ...params, cursor: nextCursor })}`}
              rel="next"
            >
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
