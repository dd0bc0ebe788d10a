import type { MemberRole } from "@/constants/organizations";
import { listMemberships } from "@/lib/organizations";
import { operatorScope, organizationScope, type Scope } from "@/lib/organizations/scope";

export type MembershipForAccess = {
  organizationId: string;
  organizationName: string;
  role: MemberRole;
  isOperator: boolean;
};

/**
 * Who may use the dashboard, from memberships alone: an admin of the operator organization sees
 * every tenant; an admin of a customer organization sees that organization; members see nothing.
 * An admin of several customer organizations gets the first by name until the dashboard has an
 * organization switcher.
 */
export function dashboardScopeFor(
  memberships: MembershipForAccess[],
): { scope: Scope; organization: { id: string; name: string } | null } | null {
  const admin = memberships.filter((membership) => membership.role === "admin");
  if (admin.some((membership) => membership.isOperator)) {
    return { scope: operatorScope, organization: null };
  }
  const [first] = [...admin].sort(
    (a, b) =>
      a.organizationName.localeCompare(b.organizationName) ||
      a.organizationId.localeCompare(b.organizationId),
  );
  if (!first) return null;
  return {
    scope: organizationScope(first.organizationId),
    organization: { id: first.organizationId, name: first.organizationName },
  };
}

/**
 * What `userId` may see in the dashboard, from their memberships as they are now: the lookup
 * every dashboard request makes before its own queries. Null for anyone who is not an admin.
 */
export async function dashboardAccessOf(userId: string) {
  return dashboardScopeFor(await listMemberships(userId));
}
