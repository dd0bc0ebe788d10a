import { createParser, parseAsIsoDateTime, parseAsStringLiteral } from "nuqs/server";
import { isStorableInstant } from "@/lib/time";
import { oneOf, type SearchParamRule } from "./unusable-search-params";

/**
 * A custom range's bound: parseAsIsoDateTime, except that a date the database cannot take
 * (lib/time.ts) is dropped like any other value a parser cannot read.
 */
const parseAsInstant = createParser({
  parse: (value: string) => {
    const date = parseAsIsoDateTime.parse(value);
    return date && isStorableInstant(date) ? date : null;
  },
  serialize: (date: Date) => parseAsIsoDateTime.serialize(date),
  eq: (a: Date, b: Date) => a.getTime() === b.getTime(),
});

/** A log's time-range presets: each a label and how far back from now it reaches. */
export type TimeRangePresets<Preset extends string> = Record<Preset, { label: string; ms: number }>;

/**
 * The time half of a log's URL state, built from the log's presets: `range` is a preset or
 * `custom` (absent: any time), and `from`/`to` are the inclusive bounds of a custom range, ISO
 * 8601 in UTC. Each route's search-params.ts spreads it into its own parsers, as it does the
 * paging half.
 */
export function timeRangeSearchParams<Preset extends string>(presets: TimeRangePresets<Preset>) {
  const ranges: readonly (Preset | "custom")[] = [...(Object.keys(presets) as Preset[]), "custom"];
  return {
    range: parseAsStringLiteral(ranges),
    from: parseAsInstant,
    to: parseAsInstant,
  };
}

/**
 * The bounds a parsed time range selects: a preset reaches back from `now` (and, with
 * `pinEnd`, stops at `now`, so several queries of one page mean the same instants); a custom
 * range is its inclusive bounds, either of which may be open.
 */
export function timeBoundsOf<Preset extends string>(
  params: { range: NoInfer<Preset> | "custom" | null; from: Date | null; to: Date | null },
  presets: TimeRangePresets<Preset>,
  now: Date,
  options: { pinEnd?: boolean } = {},
): { from?: Date; to?: Date } {
  if (params.range && params.range !== "custom") {
    const from = new Date(now.getTime() - presets[params.range].ms);
    return options.pinEnd ? { from, to: now } : { from };
  }
  if (params.range === "custom" || params.from || params.to) {
    return { from: params.from ?? undefined, to: params.to ?? undefined };
  }
  return {};
}

/**
 * The time filter in words, for an empty state ("Time range: last hour"); null when any time
 * matches. A custom range whose end comes before its start (a URL edited by hand: the pickers
 * do not allow it) says so, since that alone is why nothing matches.
 */
export function describeTimeRange<Preset extends string>(
  params: { range: NoInfer<Preset> | "custom" | null; from: Date | null; to: Date | null },
  presets: TimeRangePresets<Preset>,
): string | null {
  if (params.range && params.range !== "custom") {
    return `Time range: ${presets[params.range].label.toLowerCase()}`;
  }
  if (!params.from && !params.to) return null;
  const from = params.from ? params.from.toISOString() : "the beginning";
  const to = params.to ? params.to.toISOString() : "now";
  return `Time range: ${from} to ${to}${isReversed(params) ? ", which ends before it starts" : ""}`;
}

/** Both bounds are set and the end comes first: nothing can match. */
export function isReversed(params: { from?: Date | null; to?: Date | null }): boolean {
  return Boolean(params.from && params.to && params.from.getTime() > params.to.getTime());
}

/** How the time keys are read, to say why a value was ignored (see unusableSearchParams). */
export function timeRangeRules<Preset extends string>(
  presets: TimeRangePresets<Preset>,
): Record<"range" | "from" | "to", SearchParamRule> {
  const parsers = timeRangeSearchParams(presets);
  const instant =
    "an ISO 8601 date and time between the years 0001 and 9999, such as 2026-11-20T08:00:00Z";
  return {
    range: {
      label: "Time range",
      accepts: oneOf([...Object.keys(presets), "custom"]),
      parse: parsers.range.parse,
    },
    from: { label: "From", accepts: instant, parse: parsers.from.parse },
    to: { label: "To", accepts: instant, parse: parsers.to.parse },
  };
}
