import type { ReactNode } from "react";

/** One term of a detail page's header (inside a <dl> grid); `wide` spans the whole row. */
export function Fact({
  term,
  children,
  wide,
}: {
  term: string;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <div className={wide ? "sm:col-span-2 lg:col-span-3" : undefined}>
      <dt className="text-xs text-muted-foreground">{term}</dt>
      <dd className="break-words text-sm">{children}</dd>
    </div>
  );
}
