"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, useEffect, useRef } from "react";

/**
 * Plain links inside it navigate like next/link: in the app, without a full page load, and
 * prefetched when the pointer or focus reaches them. For long tables whose every row links
 * somewhere: one client component around the table instead of one per row, which keeps the
 * server render of a 100-row page cheap. Modified clicks (new tab, download…) stay the browser's.
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
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const url = appLink(event.target);
      if (!url) return;
      event.preventDefault();
      router.push(`${url.pathname}${url.search}${url.hash}`);
    };
    // pointerover fires for every cell the pointer crosses: each link is prefetched once.
    const prefetched = new Set<string>();
    const prefetch = (event: Event) => {
      const url = appLink(event.target);
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
