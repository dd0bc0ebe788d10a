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
 * A table row opens its `.row-link` when clicked anywhere that is not itself interactive, unless
 * the click ended a text selection; with Ctrl or ⌘ it opens in a new tab. Rows do this in script
 * rather than with a link stretched over them, so that their text can still be selected and their
 * cells' tooltips still show on hover.
 *
 * A `td.clip` cell (text cut short with an ellipsis) gets its whole text as a tooltip when the
 * pointer reaches it and the text is indeed cut: not on every cell, where it would only repeat
 * what is shown, and not in the server's HTML, where it was four attributes per row.
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
    const showClippedText = (event: Event) => showWholeTextOfClippedCell(event.target);
    element.addEventListener("pointerover", prefetch);
    element.addEventListener("pointerover", showClippedText);
    element.addEventListener("focusin", prefetch);
    return () => {
      element.removeEventListener("click", navigate);
      element.removeEventListener("pointerover", prefetch);
      element.removeEventListener("pointerover", showClippedText);
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

/** Where the row `target` is in leads (its `.row-link`), unless `target` is interactive itself. */
function rowLink(target: EventTarget | null): URL | null {
  if (!(target instanceof Element) || target.closest(INTERACTIVE)) return null;
  const link = target.closest("tr")?.querySelector("a.row-link");
  if (!(link instanceof HTMLAnchorElement)) return null;
  const url = new URL(link.href);
  return url.origin === window.location.origin ? url : null;
}

/** Gives the clipped cell `target` is in its whole text as a tooltip, or none when it fits. */
function showWholeTextOfClippedCell(target: EventTarget | null): void {
  const cell = target instanceof Element ? target.closest("td.clip") : null;
  if (!(cell instanceof HTMLElement)) return;
  if (cell.scrollWidth > cell.clientWidth) cell.title = cell.textContent ?? "";
  else cell.removeAttribute("title");
}
