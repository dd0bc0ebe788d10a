import { createParser, parseAsNumberLiteral } from "nuqs/server";
import { hasNul } from "@/lib/text";
import { oneOf, type SearchParamRule } from "./unusable-search-params";

/**
 * The paging half of a dashboard log's URL state, the same on every log: how many rows a page
 * shows and where it starts. Each route's search-params.ts spreads it into its own parsers, so
 * shared controls (the page-size select) can drive it on any of them.
 */
export const pageSizes = [25, 50, 100] as const;
export type PageSize = (typeof pageSizes)[number];

/**
 * Free text in a dashboard URL (an email filter, an id): parseAsString, except that a value
 * holding a NUL, which no stored text can match (lib/text.ts), is dropped like any other value
 * a parser cannot read.
 */
export const parseAsText = createParser({
  parse: (value: string) => (hasNul(value) ? null : value),
  serialize: (value: string) => value,
});

export const pagingSearchParams = {
  limit: parseAsNumberLiteral(pageSizes).withDefault(25),
  /** Where the page starts: the opaque keyset cursor of the row before it. */
  cursor: parseAsText,
};

/** How the paging keys are read, to say why a value was ignored (see unusableSearchParams). */
export const pagingRules: Record<keyof typeof pagingSearchParams, SearchParamRule> = {
  limit: { label: "Page size", accepts: oneOf(pageSizes), parse: pagingSearchParams.limit.parse },
  cursor: {
    label: "Page",
    accepts: "a page link from this log",
    parse: pagingSearchParams.cursor.parse,
  },
};
