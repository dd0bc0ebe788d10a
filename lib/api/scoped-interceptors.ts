import "server-only";
import type { Interceptor } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/lib/errors";
import {
  createInterceptor,
  deleteInterceptor,
  getInterceptor,
  type InterceptorCreateInput,
  type InterceptorUpdateInput,
  listInterceptors,
  updateInterceptor,
} from "@/lib/interceptors";
import { canSeeOrganization, type Scope } from "@/lib/organizations/scope";

/**
 * Tenancy for the interceptor data functions, which take no scope of their own: an
 * organization-scoped key manages only its organization's interceptors. Global interceptors
 * (no organization) belong to the operator, so such a key neither sees nor creates them.
 * Interceptors of other organizations answer as unknown ids.
 */
export async function createScopedInterceptor(
  scope: Scope,
  input: InterceptorCreateInput,
): Promise<Interceptor> {
  if (scope.kind === "operator") return createInterceptor(input);
  assertOwnOrganization(scope, input.organization_id);
  return createInterceptor({ ...input, organization_id: scope.organizationId });
}

export async function listScopedInterceptors(scope: Scope): Promise<Interceptor[]> {
  return listInterceptors(scope.kind === "operator" ? undefined : scope.organizationId);
}

export async function getScopedInterceptor(scope: Scope, id: string): Promise<Interceptor> {
  const interceptor = await getInterceptor(id);
  if (!canSeeOrganization(scope, interceptor.organizationId)) {
    throw new NotFoundError("Interceptor");
  }
  return interceptor;
}

export async function updateScopedInterceptor(
  scope: Scope,
  id: string,
  input: InterceptorUpdateInput,
): Promise<Interceptor> {
  await getScopedInterceptor(scope, id);
  if (scope.kind === "organization") assertOwnOrganization(scope, input.organization_id);
  return updateInterceptor(id, input);
}

export async function deleteScopedInterceptor(scope: Scope, id: string): Promise<void> {
  await getScopedInterceptor(scope, id);
  await deleteInterceptor(id);
}

function assertOwnOrganization(
  scope: { kind: "organization"; organizationId: string },
  organizationId: string | null | undefined,
): void {
  if (organizationId === undefined || organizationId === scope.organizationId) return;
  throw new ValidationError({
    organization_id:
      organizationId === null
        ? "must be your organization: global interceptors are managed by the operator"
        : "does not exist",
  });
}
