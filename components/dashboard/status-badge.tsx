import { cn } from "@/lib/utils";

/** The four colours a status can have, the same in every log: in progress to finished. */
export type StatusTone = "info" | "warning" | "success" | "destructive";

// Full class names (not built from the tone) so Tailwind finds them in the source.
const toneText: Record<StatusTone, string> = {
  info: "border-info/30 bg-info/10 text-info",
  warning: "border-warning/40 bg-warning/15 text-foreground",
  success: "border-success/30 bg-success/10 text-success",
  destructive: "border-destructive/30 bg-destructive/10 text-destructive",
};
const toneFill: Record<StatusTone, string> = {
  info: "fill-info",
  warning: "fill-warning",
  success: "fill-success",
  destructive: "fill-destructive",
};
const toneSwatch: Record<StatusTone, string> = {
  info: "bg-info",
  warning: "bg-warning",
  success: "bg-success",
  destructive: "bg-destructive",
};

/** A log's statuses: each one's label and tone, and what the chart draws it with. */
export function statusStyles<Status extends string>(
  labels: Record<Status, string>,
  tones: Record<Status, StatusTone>,
) {
  const each = <Value,>(pick: (status: Status) => Value) =>
    Object.fromEntries(
      Object.keys(tones).map((status) => [status, pick(status as Status)]),
    ) as Record<Status, Value>;
  return {
    labels,
    tones,
    /** fill-* classes for chart bars. */
    fill: each((status) => toneFill[tones[status]]),
    /** bg-* classes for legend swatches. */
    swatch: each((status) => toneSwatch[tones[status]]),
  };
}

// The badge and its dot (a ::before, not an element) per tone, as whole class lists: a log page
// renders one badge per row, so each is one element with a ready-made class string.
const badgeClasses =
  "inline-flex w-fit items-center gap-1.5 whitespace-nowrap rounded-md border px-2 py-0.5 text-xs font-medium before:size-1.5 before:shrink-0 before:rounded-full";
const toneBadge: Record<StatusTone, string> = {
  info: `${badgeClasses} ${toneText.info} before:bg-info`,
  warning: `${badgeClasses} ${toneText.warning} before:bg-warning`,
  success: `${badgeClasses} ${toneText.success} before:bg-success`,
  destructive: `${badgeClasses} ${toneText.destructive} before:bg-destructive`,
};

/** A status with its label, in the colours of its tone (those of the Badge primitive's variants). */
export function StatusBadge({
  status,
  label,
  tone,
  className,
}: {
  status: string;
  label: string;
  tone: StatusTone;
  className?: string;
}) {
  return (
    <span
      data-slot="badge"
      data-status={status}
      className={className ? cn(toneBadge[tone], className) : toneBadge[tone]}
    >
      {label}
    </span>
  );
}
