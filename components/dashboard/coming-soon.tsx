import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

/** A section that is planned but not built yet: what it will do, and where to do it today. */
export function ComingSoon({
  title,
  icon: Icon,
  children,
  today,
}: {
  title: string;
  icon: LucideIcon;
  children: ReactNode;
  today: ReactNode;
}) {
  return (
    <div className="mx-auto grid max-w-2xl gap-6">
      <div className="flex items-center gap-3">
        <Icon aria-hidden="true" className="size-6 text-muted-foreground" />
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      </div>
      <section className="grid gap-3 rounded-xl border border-dashed p-6">
        <h2 className="text-sm font-medium uppercase tracking-wide text-muted-foreground">
          Coming soon
        </h2>
        <div className="grid gap-2 text-sm leading-relaxed">{children}</div>
      </section>
      <section className="grid gap-2 text-sm leading-relaxed">
        <h2 className="font-medium">Today</h2>
        <div className="text-muted-foreground">{today}</div>
      </section>
    </div>
  );
}
