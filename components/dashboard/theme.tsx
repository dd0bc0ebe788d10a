/**
 * Light, dark or the system's choice, as a class on <html> (Tailwind's class strategy). The
 * script runs before the dashboard paints, so a dark-theme reader never sees a white flash.
 */
export const THEME_STORAGE_KEY = "gatehouse-theme";
export const themes = ["light", "dark", "system"] as const;
export type Theme = (typeof themes)[number];

const applyTheme = `(function(){try{var t=localStorage.getItem("${THEME_STORAGE_KEY}");var d=t==="dark"||(t!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);var e=document.documentElement;e.classList.toggle("dark",d);e.style.colorScheme=d?"dark":"light"}catch(_){}})();`;

export function ThemeScript() {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, no user input.
  return <script dangerouslySetInnerHTML={{ __html: applyTheme }} />;
}

/** Applies `theme` now and remembers it for the next visit. */
export function setTheme(theme: Theme): void {
  localStorage.setItem(THEME_STORAGE_KEY, theme);
  const dark =
    theme === "dark" ||
    (theme === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.style.colorScheme = dark ? "dark" : "light";
}

export function storedTheme(): Theme {
  const stored = localStorage.getItem(THEME_STORAGE_KEY);
  return stored === "light" || stored === "dark" ? stored : "system";
}
