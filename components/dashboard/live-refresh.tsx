"use client";

import { useRouter } from "next/navigation";
import { useEffect, useTransition } from "react";

/**
 * Keeps a server-rendered page current without a reload: every `intervalMs` while the tab is
 * visible (and at once when it becomes visible again) it asks the server to render the page
 * anew with router.refresh(). The URL is untouched, so filters stay; client state (an open menu,
 * a half-typed date) and the scroll position survive, because React only patches what changed.
 */
export function LiveRefresh({ intervalMs }: { intervalMs: number }) {
  const router = useRouter();
  const [isPending, startTransition] = useTransition();

  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState === "visible") startTransition(() => router.refresh());
    };
    const timer = window.setInterval(refresh, intervalMs);
    document.addEventListener("visibilitychange", refresh);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", refresh);
    };
  }, [router, intervalMs]);

  return <span hidden data-live-refresh={isPending ? "refreshing" : "idle"} />;
}
