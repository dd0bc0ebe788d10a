import type { DashboardViewer } from "@/lib/dashboard/access";

/**
 * Stands in for `@/lib/dashboard/access` in tests of server actions, whose session lives in a
 * cookie: a test sets `signedIn.viewer` instead, and the actions run exactly as pages call them.
 *
 *   vi.mock("@/lib/dashboard/access", () => import("@/tests/support/dashboard-access"));
 */
export const signedIn: { viewer: DashboardViewer | undefined } = { viewer: undefined };

export async function requireDashboardScope(): Promise<DashboardViewer> {
  if (!signedIn.viewer) throw new Error("NEXT_REDIRECT (signed out)");
  return signedIn.viewer;
}
