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

/**
 * A page's query string exactly as it came (`?a=1&b=2`, or "" when empty), so that signing in
 * returns to the very same URL, filters and all.
 */
export function queryStringOf(searchParams: Record<string, string | string[] | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined) query.append(key, item);
    }
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}
