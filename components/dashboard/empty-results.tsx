import { type LucideIcon, SearchXIcon } from "lucide-react";
import type { ReactNode } from "react";

/**
 * The frame of a dashboard list with nothing to show: an icon, what is empty (the section's
 * name), and what to read or do about it. A page shows at most one, so its heading's id is fixed.
 */
export function EmptyResults({
  title,
  icon: Icon = SearchXIcon,
  children,
}: {
  title: string;
  icon?: LucideIcon;
  children?: ReactNode;
}) {
  return (
    <section
      aria-labelledby="empty-title"
      className="grid place-items-center gap-3 rounded-lg border border-dashed p-10 text-center"
    >
      <Icon aria-hidden="true" className="size-6 text-muted-foreground" />
      <h2 id="empty-title" className="font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}
