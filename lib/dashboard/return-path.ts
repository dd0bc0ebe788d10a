/** Where the dashboard sends someone who signs in from nowhere in particular. */
export const DASHBOARD_HOME = "/auth-logs";

/**
 * A path on this origin to come back to after signing in, or the dashboard home. Absolute and
 * protocol-relative URLs are refused so the sign-in cannot be used as an open redirect.
 */
export function safeReturnPath(candidate: string | null | undefined): string {
  if (!candidate) return DASHBOARD_HOME;
  let path = candidate;
  if (/^https?:\/\//i.test(candidate)) return DASHBOARD_HOME;
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\"))
    return DASHBOARD_HOME;
  // Never loop back into the auth endpoints themselves.
  if (path.startsWith("/api/auth")) path = DASHBOARD_HOME;
  return path;
}

/** The sign-in URL that returns to `returnTo` (a path with its query) afterwards. */
export function signInPath(returnTo: string): string {
  return `/api/auth/signin?${new URLSearchParams({ callbackUrl: safeReturnPath(returnTo) })}`;
}
