import { parseAsIsoDateTime, parseAsStringLiteral } from "nuqs/server";

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
    from: parseAsIsoDateTime,
    to: parseAsIsoDateTime,
  };
}
