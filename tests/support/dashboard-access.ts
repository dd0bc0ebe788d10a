import type { DashboardViewer } from "@/lib/dashboard/access";
import { operatorScope, organizationScope } from "@/lib/organizations/scope";

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

/** Signs the test in as an admin of `organization`. */
export function actAsAdminOf(organization: { id: string; name: string }): void {
  signedIn.viewer = {
    userId: "usr_test",
    email: "admin@example.com",
    name: "Admin",
    scope: organizationScope(organization.id),
    organization: { id: organization.id, name: organization.name },
  };
}

/** Signs the test in as an admin of the operator organization. */
export function actAsOperator(): void {
  signedIn.viewer = {
    userId: "usr_operator",
    email: "operator@example.com",
    name: "Operator",
    scope: operatorScope,
    organization: null,
  };
}
