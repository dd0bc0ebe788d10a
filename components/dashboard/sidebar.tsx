"use client";

import { PanelLeftIcon, ShieldCheckIcon } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { type ReactNode, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { dashboardNav, SIDEBAR_COOKIE, type SidebarState } from "./nav";

// Labels stay in the accessibility tree when the sidebar is a rail: visually hidden, not removed.
const labelClasses = {
  auto: "sr-only lg:not-sr-only",
  expanded: "not-sr-only",
  collapsed: "sr-only",
} as const;

const widthClasses = {
  auto: "w-14 lg:w-56",
  expanded: "w-56",
  collapsed: "w-14",
} as const;

/** The dashboard frame: navigation on the left (collapsible), a top bar, the page. */
export function DashboardFrame({
  initialState,
  topBar,
  children,
}: {
  initialState: SidebarState;
  topBar: ReactNode;
  children: ReactNode;
}) {
  const [state, setState] = useState<SidebarState>(initialState);
  const pathname = usePathname();

  function toggle() {
    const expandedNow =
      state === "expanded" ||
      (state === "auto" && window.matchMedia("(min-width: 1024px)").matches);
    const next: SidebarState = expandedNow ? "collapsed" : "expanded";
    setState(next);
    // biome-ignore lint/suspicious/noDocumentCookie: a UI preference the server reads to render.
    document.cookie = `${SIDEBAR_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
  }

  return (
    <div className="flex min-h-svh bg-background">
      <aside
        data-state={state}
        className={cn(
          "sticky top-0 flex h-svh shrink-0 flex-col border-r bg-muted/30 transition-[width] duration-150",
          widthClasses[state],
        )}
      >
        <div className="flex h-14 items-center gap-2 overflow-hidden border-b px-4">
          <ShieldCheckIcon aria-hidden="true" className="size-5 shrink-0" />
          <span className={cn("font-semibold tracking-tight", labelClasses[state])}>Gatehouse</span>
        </div>
        <nav aria-label="Dashboard" className="flex flex-1 flex-col gap-1 p-2">
          {dashboardNav.map((item) => {
            const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
            const Icon = item.icon;
            return (
              <Link
                key={item.href}
                href={item.href}
                title={item.label}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex h-9 items-center gap-3 overflow-hidden rounded-md px-2.5 text-sm text-muted-foreground outline-none transition-colors hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
                  active && "bg-accent font-medium text-accent-foreground",
                )}
              >
                <Icon aria-hidden="true" className="size-4 shrink-0" />
                <span className={labelClasses[state]}>{item.label}</span>
              </Link>
            );
          })}
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b bg-background/95 px-3 backdrop-blur sm:px-4">
          <Button
            type="button"
            variant="ghost"
            size="icon-sm"
            onClick={toggle}
            aria-label="Toggle sidebar"
          >
            <PanelLeftIcon aria-hidden="true" />
          </Button>
          {topBar}
        </header>
        <main className="min-w-0 flex-1 p-4 sm:p-6">{children}</main>
      </div>
    </div>
  );
}
