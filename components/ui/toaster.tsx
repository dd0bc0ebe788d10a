"use client";

import { useEffect, useState } from "react";
import { Toaster as Sonner, type ToasterProps } from "sonner";

/**
 * Toasts (sonner, as shadcn/ui uses it), mounted once by the dashboard layout; anything client-
 * side shows one with `toast(…)` from "sonner". It follows the dashboard's own theme (the `dark`
 * class on <html>), which may differ from the system's, and takes the theme's colours.
 *
 * It mounts only in the browser: toasts follow something the reader did there, and rendering
 * sonner on the server cost every dashboard request about 4 ms for an empty list.
 */
export function Toaster(props: ToasterProps) {
  const [theme, setTheme] = useState<"light" | "dark" | null>(null);
  useEffect(() => {
    const root = document.documentElement;
    const read = () => setTheme(root.classList.contains("dark") ? "dark" : "light");
    read();
    const observer = new MutationObserver(read);
    observer.observe(root, { attributes: true, attributeFilter: ["class"] });
    return () => observer.disconnect();
  }, []);
  if (!theme) return null;
  return (
    <Sonner
      theme={theme}
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
