// Inngest "time strings" (SDK spec 1.3.2): decimal numbers with units, concatenated, such as
// "300ms", "2h45m" or "1w". `d` and `w` are fixed 24 h and 168 h.
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w)/y;

/** Milliseconds in a time string, or null when it is not one. */
export function parseTimeString(text: string): number | null {
  const input = text.trim();
  if (!input) return null;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < input.length) {
    const match = PART.exec(input);
    if (!match) return null;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return Math.round(total);
}

/**
 * When a sleep reported as `duration` ends: a time string is relative to `now`, anything else
 * must be an ISO 8601 date (`step.sleepUntil`). Null when it is neither.
 */
export function resolveWakeTime(duration: string, now: number): number | null {
  const relative = parseTimeString(duration);
  if (relative !== null) return now + relative;
  const absolute = Date.parse(duration);
  return Number.isNaN(absolute) ? null : absolute;
}
