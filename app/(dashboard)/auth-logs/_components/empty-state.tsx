import Link from "next/link";
import { EmptyResults } from "@/components/dashboard/empty-results";
import { Button } from "@/components/ui/button";
import type { FilterName } from "@/lib/auth-logs/stats";

/**
 * Nothing matched. Says which filters are active and which of them, loosened alone, would show
 * entries, so the reader knows what to change instead of guessing.
 */
export function EmptyState({
  descriptions,
  excludedBy,
}: {
  descriptions: Partial<Record<FilterName, string>>;
  excludedBy: FilterName[];
}) {
  const active = Object.entries(descriptions) as [FilterName, string][];
  if (active.length === 0) {
    return (
      <EmptyResults title="No auth logs yet">
        <p className="max-w-md text-sm text-muted-foreground">
          Every sign-in attempt through Gatehouse appears here as soon as an application sends a
          user to /oauth/authorize.
        </p>
      </EmptyResults>
    );
  }
  return (
    <EmptyResults title="No entries match these filters">
      <ul className="grid gap-1 text-sm text-muted-foreground">
        {active.map(([name, description]) => (
          <li key={name}>
            <span className="font-medium text-foreground">{description}</span>
            {excludedBy.includes(name) ? " — without this filter there are matching entries" : null}
          </li>
        ))}
      </ul>
      {excludedBy.length === 0 && active.length > 1 ? (
        <p className="max-w-md text-sm text-muted-foreground">
          No single filter is to blame: only removing several of them together shows entries.
        </p>
      ) : null}
      <Button asChild variant="outline" size="sm">
        <Link href="/auth-logs">Clear filters</Link>
      </Button>
    </EmptyResults>
  );
}

/**
 * A page link (a cursor) past which nothing matches any more: the entries it followed were
 * removed or changed status since the link was made. Not "no auth logs yet": there are.
 */
export function EmptyPage({ newestHref }: { newestHref: string }) {
  return (
    <EmptyResults title="No entries on this page">
      <p className="max-w-md text-sm text-muted-foreground">
        Nothing matching these filters comes after the point this page link starts from: the entries
        it followed have changed since it was made.
      </p>
      <Button asChild variant="outline" size="sm">
        <Link href={newestHref}>Newest entries</Link>
      </Button>
    </EmptyResults>
  );
}
