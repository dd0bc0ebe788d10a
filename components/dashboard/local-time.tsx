/**
 * A timestamp as people read it in a log: relative ("5 min ago"), with the absolute time and its
 * time zone on hover. The server renders UTC (it cannot know the reader's zone); in the browser
 * <LocalTimeZone>, mounted once by the dashboard layout, rewrites every one into the reader's own
 * zone. No hooks here on purpose: a log table shows up to a hundred of these, and a client
 * component per cell measurably slows every server render of the page. `now` comes from the
 * server so the relative text is the same in the HTML and after hydration.
 */
export function LocalTime({
  value,
  now,
  mode = "relative",
  className,
}: {
  value: string;
  now: number;
  mode?: "relative" | "absolute";
  className?: string;
}) {
  const date = new Date(value);
  const absolute = formatAbsolute(date, "UTC");
  return (
    <time dateTime={value} title={absolute} data-local-time={mode} className={className}>
      {mode === "relative" ? formatRelative(date, now) : absolute}
    </time>
  );
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600_000],
  ["month", 30 * 24 * 3600_000],
  ["week", 7 * 24 * 3600_000],
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
  ["second", 1000],
];
const relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" });

export function formatRelative(date: Date, now: number): string {
  const elapsed = date.getTime() - now;
  if (Math.abs(elapsed) < 5_000) return "just now";
  for (const [unit, ms] of units) {
    if (Math.abs(elapsed) >= ms || unit === "second") {
      return relativeFormat.format(Math.trunc(elapsed / ms), unit);
    }
  }
  return relativeFormat.format(0, "second");
}

// Building an Intl formatter costs far more than using one; a table renders dozens of times.
const absoluteFormats = new Map<string, Intl.DateTimeFormat>();

/** `date` as "26 Nov 2026, 01:10:02 UTC"; in the runtime's own zone when `timeZone` is omitted. */
export function formatAbsolute(date: Date, timeZone?: string): string {
  const key = timeZone ?? "local";
  let format = absoluteFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "long", timeZone });
    absoluteFormats.set(key, format);
  }
  return format.format(date);
}
