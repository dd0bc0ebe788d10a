"use client";

import { useTheme } from "next-themes";
import { Toaster as Sonner, type ToasterProps } from "sonner";
import { useHydrated } from "@/lib/use-hydrated";

/**
 * Toasts (sonner, as shadcn/ui uses it), mounted once by the dashboard layout; anything client-
 * side shows one with `toast(…)` from "sonner". It follows the dashboard's theme and takes the
 * theme's colours.
 *
 * It mounts only in the browser: toasts follow something the reader did there, so rendering
 * sonner on the server would cost every dashboard request time for an empty list.
 */
export function Toaster(props: ToasterProps) {
  const { resolvedTheme } = useTheme();
  // Nothing in the server's HTML, and so nothing while hydrating it: the browser knows the
  // theme at once, the server never does.
  const hydrated = useHydrated();
  if (!hydrated || (resolvedTheme !== "light" && resolvedTheme !== "dark")) return null;
  return (
    <Sonner
      theme={resolvedTheme}
      className="toaster group"
      style={
        {
          "--normal-bg": "var(--popover)",
          "--normal-text": "var(--popover-foreground)",
          "--normal-border": "var(--border)",
        } as React.CSSProperties
      }
      {...props}
    />
  );
}
