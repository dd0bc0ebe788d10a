"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, useEffect, useRef } from "react";

/**
 * Plain links inside it navigate like next/link: in the app, without a full page load, and
 * prefetched when the pointer or focus reaches them. For long tables whose every row links
 * somewhere: one client component around the table instead of one per row, which keeps the
 * server render of a 100-row page cheap. Modified clicks on links (new tab, download…) stay the
 * browser's.
 *
 * An element with `data-href` (a table row) opens that address when clicked anywhere that is not
 * itself interactive, unless the click ended a text selection; with Ctrl or ⌘ it opens in a new
 * tab. Rows do this in script rather than with a link stretched over them, so that their text can
 * still be selected and their cells' tooltips still show on hover.
 */
export function ClientNavigation({
  children,
  className,
}: {
  children: ReactNode;
  className?: string;
}) {
  const router = useRouter();
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    // A click on a focused link also fires for Enter, so keyboard users are covered too.
    const navigate = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0) return;
      const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
      const link = appLink(event.target);
      if (link) {
        if (modified) return;
        event.preventDefault();
        router.push(`${link.pathname}${link.search}${link.hash}`);
        return;
      }
      const row = rowLink(event.target);
      if (!row || !window.getSelection()?.isCollapsed) return;
      if (event.metaKey || event.ctrlKey) window.open(row.href, "_blank", "noopener");
      else if (!modified) router.push(`${row.pathname}${row.search}${row.hash}`);
    };
    // pointerover fires for every cell the pointer crosses: each link is prefetched once.
    const prefetched = new Set<string>();
    const prefetch = (event: Event) => {
      const url = appLink(event.target) ?? rowLink(event.target);
      const href = url ? `${url.pathname}${url.search}` : null;
      if (!href || prefetched.has(href)) return;
      prefetched.add(href);
      router.prefetch(href);
    };
    element.addEventListener("click", navigate);
    element.addEventListener("pointerover", prefetch);
    element.addEventListener("focusin", prefetch);
    return () => {
      element.removeEventListener("click", navigate);
      element.removeEventListener("pointerover", prefetch);
      element.removeEventListener("focusin", prefetch);
    };
  }, [router]);

  return (
    <div ref={container} className={className}>
      {children}
    </div>
  );
}

/** The link `target` is in, when it leads somewhere in this app and opens in this tab. */
function appLink(target: EventTarget | null): URL | null {
  const link = target instanceof Element ? target.closest("a[href]") : null;
  if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute("download")) {
    return null;
  }
  const url = new URL(link.href);
  return url.origin === window.location.origin ? url : null;
}

// What a click on a row's cell must leave alone: it has a meaning of its own there.
const INTERACTIVE = "a[href], button, input, select, textarea, label, summary, [role='button']";

/** The address of the row `target` is in, unless `target` is interactive in its own right. */
function rowLink(target: EventTarget | null): URL | null {
  if (!(target instanceof Element) || target.closest(INTERACTIVE)) return null;
  const href = target.closest("[data-href]")?.getAttribute("data-href");
  if (!href) return null;
  const url = new URL(href, window.location.href);
  return url.origin === window.location.origin ? url : null;
}
