import { ShieldCheckIcon } from "lucide-react";
import type { Metadata } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = {
  // Sign-in URLs carry an auth request id: keep them out of search engines and out of the
  // Referer other sites see. Not "no-referrer": browsers then send `Origin: null` with form
  // posts, and the server-action CSRF check refuses plain HTML (no-JavaScript) submissions.
  robots: { index: false, follow: false },
  referrer: "same-origin",
};

/** Minimal chrome for the hosted sign-in: the product mark and a centred column. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-svh flex-col items-center justify-center gap-6 bg-muted/60 p-6 md:p-10 dark:bg-background">
      <main className="flex w-full max-w-sm flex-col gap-6">
        <p className="flex items-center gap-2 self-center text-sm font-medium text-muted-foreground">
          <span className="flex size-6 items-center justify-center rounded-md bg-primary text-primary-foreground">
            <ShieldCheckIcon aria-hidden="true" className="size-4" />
          </span>
          Gatehouse
        </p>
        {children}
      </main>
    </div>
  );
}
