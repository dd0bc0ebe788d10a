"use client";

import type { ChartStats } from "@/lib/time-buckets";
import { useHydrated } from "@/lib/use-hydrated";

/** One status of the chart: its name and the colours of its bars and legend swatch. */
export type ChartSeries<Status extends string> = {
  key: Status;
  label: string;
  /** A fill-* class for the bars. */
  fill: string;
  /** A bg-* class for the legend. */
  swatch: string;
};

type Bucket<Status extends string> = {
  start: Date;
  counts: Record<Status, number>;
  total: number;
};

const HEIGHT = 96;
const countFormat = new Intl.NumberFormat("en");
const BAR_GAP = 2;

/**
 * Rows per time bucket over the selected range, stacked by status in `series` order (the first
 * at the bottom): a hand-drawn SVG, no chart library. Each bar names its bucket and counts in a
 * <title>, which browsers show on hover; the figure's label summarises it for screen readers.
 * Those hover targets (a rect and a title per bucket) are drawn only in the browser, once the
 * page is interactive: they answer a pointer and nothing else, so the server's HTML, rendered
 * again on every request, leaves them out.
 * Used by the Auth Logs and the webhook delivery log. A client component so that the page sends
 * the bucket counts, not the SVG's elements, in its payload; it still renders on the server.
 */
export function ActivityChart<Status extends string>({
  stats,
  series,
  noun,
}: {
  stats: ChartStats<Status>;
  series: readonly ChartSeries<Status>[];
  /** What a row is: { one: "entry", many: "entries" }. */
  noun: { one: string; many: string };
}) {
  const hydrated = useHydrated();
  if (stats.bucketCount === 0) return null;
  const buckets = bucketsOf(stats, series);
  const peak = Math.max(1, ...buckets.map((bucket) => bucket.total));
  const width = 100 / buckets.length;
  const approx = stats.exact ? "" : "about ";
  const paths = barPaths(series, buckets, peak, width);
  const summary = `${approx}${countFormat.format(stats.total)} ${stats.total === 1 ? noun.one : noun.many} in ${buckets.length} intervals of ${describeWidth(stats.bucketMs)}, busiest ${approx}${countFormat.format(peak)}`;

  return (
    <figure className="grid gap-2 rounded-lg border p-3">
      <figcaption className="flex flex-wrap items-center justify-between gap-2 text-xs text-muted-foreground">
        <span>
          <span className="capitalize">{noun.many}</span> per {describeWidth(stats.bucketMs)} (UTC)
          {stats.exact ? "" : ", estimated from a sample"}
        </span>
        <span className="flex flex-wrap gap-3" aria-hidden="true">
          {series.map((item) => (
            <span key={item.key} className="flex items-center gap-1.5">
              <span className={`size-2 rounded-sm ${item.swatch}`} />
              {item.label}
            </span>
          ))}
        </span>
      </figcaption>
      {/* One path per status and one hover target per bucket, not a rect per bar: the chart can
          have 60 buckets and is rendered on every refresh. */}
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 100 ${HEIGHT}`}
        preserveAspectRatio="none"
        className="h-24 w-full [&_.hit]:fill-transparent [&_.hit:hover]:fill-muted"
      >
        {series.map((item) => (
          <path key={item.key} d={paths.get(item.key)} className={item.fill} />
        ))}
        {hydrated
          ? buckets.map((bucket, index) => (
              <rect
                key={bucket.start.getTime()}
                className="hit"
                x={round(index * width)}
                width={round(width)}
                height={HEIGHT}
              >
                <title>{describeBucket(bucket, stats, series)}</title>
              </rect>
            ))
          : null}
      </svg>
      <div
        className="flex justify-between text-[11px] text-muted-foreground tabular-nums"
        aria-hidden="true"
      >
        <span>{formatBucket(buckets[0]?.start ?? new Date(), stats.bucketMs)}</span>
        <span>{formatBucket(buckets.at(-1)?.start ?? new Date(), stats.bucketMs)}</span>
      </div>
    </figure>
  );
}

function describeWidth(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 60) return minutes === 1 ? "minute" : `${minutes} minutes`;
  const hours = minutes / 60;
  if (hours < 24) return hours === 1 ? "hour" : `${hours} hours`;
  const days = hours / 24;
  return days === 1 ? "day" : `${days} days`;
}

const dayFormat = new Intl.DateTimeFormat("en-GB", {
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});
const timeFormat = new Intl.DateTimeFormat("en-GB", {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

function formatBucket(date: Date, bucketMs: number): string {
  return (bucketMs >= 24 * 3600_000 ? dayFormat : timeFormat).format(date);
}

function bucketsOf<Status extends string>(
  stats: ChartStats<Status>,
  series: readonly ChartSeries<Status>[],
): Bucket<Status>[] {
  return Array.from({ length: stats.bucketCount }, (_, index) => {
    const counts = {} as Record<Status, number>;
    let total = 0;
    for (const { key } of series) {
      const count = stats.counts[key]?.[index] ?? 0;
      counts[key] = count;
      total += count;
    }
    return { start: new Date(stats.firstBucketStart + index * stats.bucketMs), counts, total };
  });
}

/** SVG path data per status: each bar a closed rectangle, stacked bottom-up in series order. */
function barPaths<Status extends string>(
  series: readonly ChartSeries<Status>[],
  buckets: Bucket<Status>[],
  peak: number,
  width: number,
): Map<Status, string> {
  const paths = new Map(series.map((item) => [item.key, ""]));
  const barWidth = round(Math.max(0.1, width - BAR_GAP / 5));
  buckets.forEach((bucket, index) => {
    const x = round(index * width + BAR_GAP / 10);
    let y = HEIGHT;
    for (const { key } of series) {
      const count = bucket.counts[key] ?? 0;
      if (count === 0) continue;
      const height = Math.max(0.75, (count / peak) * (HEIGHT - 4));
      y -= height;
      paths.set(
        key,
        `${paths.get(key)}M${x} ${round(y)}h${barWidth}v${round(height)}h-${barWidth}z`,
      );
    }
  });
  return paths;
}

function describeBucket<Status extends string>(
  bucket: Bucket<Status>,
  stats: ChartStats<Status>,
  series: readonly ChartSeries<Status>[],
): string {
  const approx = stats.exact ? "" : "about ";
  const parts = series
    .filter(({ key }) => (bucket.counts[key] ?? 0) > 0)
    .map(({ key, label }) => `${countFormat.format(bucket.counts[key])} ${label.toLowerCase()}`);
  return `${formatBucket(bucket.start, stats.bucketMs)}: ${approx}${countFormat.format(bucket.total)}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
