/**
 * Whose data a caller may see. Every data function that serves the management API or the
 * dashboard takes one, so tenancy is enforced where the rows are read, never by trusting a URL
 * parameter. Operator-wide callers (operator admins, keys with no organization) see every tenant.
 */
export type Scope = { kind: "operator" } | { kind: "organization"; organizationId: string };

export const operatorScope: Scope = { kind: "operator" };

export function organizationScope(organizationId: string): Scope {
  return { kind: "organization", organizationId };
}

/** Whether rows owned by `organizationId` (null = operator-level) are visible in `scope`. */
export function canSeeOrganization(scope: Scope, organizationId: string | null): boolean {
  return scope.kind === "operator" || scope.organizationId === organizationId;
}
