"use client";

import { XIcon } from "lucide-react";
import { type Options, type ParserMap, useQueryStates } from "nuqs";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

/**
 * A log's filters, all held in the URL (nuqs). `shallow: false` makes every change re-render
 * the server page with the new filters; `history: push` makes back/forward step through them.
 * Any filter change drops the cursor: a page position means nothing under other filters.
 * `filterKeys` are the parsers that narrow the rows (not paging): what "Clear filters" clears.
 */
export function useLogFilters<Parsers extends ParserMap & { cursor: ParserMap[string] }>(
  parsers: Parsers,
  filterKeys: readonly (keyof Parsers & string)[],
) {
  const [isPending, startTransition] = useTransition();
  const [params, setParams] = useQueryStates(parsers, {
    shallow: false,
    history: "push",
    startTransition,
  });
  type Change = Exclude<Parameters<typeof setParams>[0], null | ((...args: never[]) => unknown)>;
  const setFilters = (change: Change, options?: Options) =>
    setParams({ ...change, cursor: null }, options);
  const active = filterKeys.some((key) => {
    const value: unknown = params[key];
    return Array.isArray(value) ? value.length > 0 : value !== null && value !== "";
  });
  const clear = () =>
    setParams({
      ...(Object.fromEntries(filterKeys.map((key) => [key, null])) as Change),
      cursor: null,
    });
  return { params, setFilters, active, clear, isPending };
}

/** The end of a filter bar: "Clear filters" while any is set, and a spinner while updating. */
export function FilterActions({
  active,
  onClear,
  isPending,
}: {
  active: boolean;
  onClear: () => void;
  isPending: boolean;
}) {
  return (
    <div className="flex h-9 items-center gap-2">
      {active ? (
        <Button
          variant="ghost"
          onClick={(event) => {
            // The button goes away with the filters; focus moves to the bar's first control
            // instead of falling back to the page.
            const bar = event.currentTarget.closest("search");
            onClear();
            bar?.querySelector<HTMLElement>("button, input, select")?.focus();
          }}
        >
          <XIcon aria-hidden="true" />
          Clear filters
        </Button>
      ) : null}
      {isPending ? <Spinner aria-label="Updating results" /> : null}
    </div>
  );
}
