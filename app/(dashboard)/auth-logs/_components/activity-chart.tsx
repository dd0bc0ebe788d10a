import { statusFill, statusLabels, statusSwatch } from "@/components/auth-logs/status-badge";
import { authStatuses } from "@/db/schema/auth-logs";
import type { AuthLogStats } from "@/lib/auth-logs/stats";

const HEIGHT = 96;
const countFormat = new Intl.NumberFormat("en");
const BAR_GAP = 2;

/**
 * Entries per time bucket over the selected range, stacked by status: a hand-drawn SVG (no chart
 * library on a server-rendered page). Each bar names its bucket and counts in a <title>, which
 * browsers show on hover; the figure's label summarises it for screen readers.
 */
export function ActivityChart({ stats }: { stats: AuthLogStats }) {
  const { buckets } = stats;
  if (buckets.length === 0) return null;
  const peak = Math.max(1, ...buckets.map((bucket) => bucket.total));
  const width = 100 / buckets.length;
  const approx = stats.exact ? "" : "about ";
  const paths = barPaths(buckets, peak, width);
  const summary = `${approx}${countFormat.format(stats.total)} entries in ${buckets.length} intervals of ${describeWidth(stats.bucketMs)}, busiest ${approx}${countFormat.format(peak)}`;

  return (
    <figure className="grid gap-2 rounded-lg border p-3">
      <figcaption className="flex flex-wrap items-center justify-between gap-2 text-xs text-muted-foreground">
        <span>
          Entries per {describeWidth(stats.bucketMs)} (UTC)
          {stats.exact ? "" : ", estimated from a sample"}
        </span>
        <span className="flex flex-wrap gap-3" aria-hidden="true">
          {authStatuses.map((status) => (
            <span key={status} className="flex items-center gap-1.5">
              <span className={`size-2 rounded-sm ${statusSwatch[status]}`} />
              {statusLabels[status]}
            </span>
          ))}
        </span>
      </figcaption>
      {/* One path per status and one hover target per bucket, not a rect per bar: the chart is
          sent twice (HTML and RSC payload) and can have 60 buckets. */}
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 100 ${HEIGHT}`}
        preserveAspectRatio="none"
        className="h-24 w-full [&_.hit]:fill-transparent [&_.hit:hover]:fill-muted"
      >
        {authStatuses.map((status) => (
          <path key={status} d={paths[status]} className={statusFill[status]} />
        ))}
        {buckets.map((bucket, index) => (
          <rect
            key={bucket.start.getTime()}
            className="hit"
            x={round(index * width)}
            width={round(width)}
            height={HEIGHT}
          >
            <title>{describeBucket(bucket, stats)}</title>
          </rect>
        ))}
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

type Buckets = AuthLogStats["buckets"];

/** SVG path data per status: each bar a closed rectangle, stacked bottom-up in status order. */
function barPaths(buckets: Buckets, peak: number, width: number) {
  const paths = Object.fromEntries(authStatuses.map((status) => [status, ""])) as Record<
    (typeof authStatuses)[number],
    string
  >;
  const barWidth = round(Math.max(0.1, width - BAR_GAP / 5));
  buckets.forEach((bucket, index) => {
    const x = round(index * width + BAR_GAP / 10);
    let y = HEIGHT;
    for (const status of authStatuses) {
      const count = bucket.counts[status];
      if (count === 0) continue;
      const height = Math.max(0.75, (count / peak) * (HEIGHT - 4));
      y -= height;
      paths[status] += `M${x} ${round(y)}h${barWidth}v${round(height)}h-${barWidth}z`;
    }
  });
  return paths;
}

function describeBucket(bucket: Buckets[number], stats: AuthLogStats): string {
  const approx = stats.exact ? "" : "about ";
  const parts = authStatuses
    .filter((status) => bucket.counts[status] > 0)
    .map(
      (status) =>
        `${countFormat.format(bucket.counts[status])} ${statusLabels[status].toLowerCase()}`,
    );
  return `${formatBucket(bucket.start, stats.bucketMs)}: ${approx}${countFormat.format(bucket.total)}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
