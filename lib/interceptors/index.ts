import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { type Interceptor, interceptors } from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { OutboundTargetError, validateOutboundUrl } from "@/lib/net/outbound-target";
import { owningOrganization } from "@/lib/organizations";
import type { Scope } from "@/lib/organizations/scope";
import { generateWebhookSecret } from "@/lib/signing/standard-webhooks";
import type { InterceptorCreateInput, InterceptorUpdateInput } from "./schema";

export {
  type InterceptorOutcome,
  listApplicableInterceptors,
  type PreSignInContext,
  runPreSignInInterceptors,
} from "./run";

/**
 * Pre-sign-in interceptors: HTTP hooks asked ALLOW or DENY after a user proved who they are and
 * before a session or code is issued. Every function acts for a caller's Scope: an organization's
 * key manages its own organization's interceptors only; global interceptors (no organization)
 * belong to the operator, so such a key neither sees nor creates them, and another
 * organization's interceptor answers as an unknown id. The URL must be an allowed outbound target.
 */
export async function createInterceptor(
  scope: Scope,
  input: InterceptorCreateInput,
  tx: Executor = db,
): Promise<Interceptor> {
  const organizationId = await owningOrganization(
    scope,
    input.organizationId,
    GLOBAL_INTERCEPTORS,
    tx,
  );
  await assertUrlAllowed(input.url);
  const [created] = await tx
    .insert(interceptors)
    .values({
      id: newId("icp"),
      name: input.name,
      url: input.url,
      secret: input.secret ?? generateWebhookSecret(),
      timeoutMs: input.timeoutMs,
      fallback: input.fallback,
      enabled: input.enabled,
      organizationId,
    })
    .returning();
  return created as Interceptor;
}

/** The interceptors visible in `scope`, oldest first (the order they run in). */
export async function listInterceptors(scope: Scope, tx: Executor = db): Promise<Interceptor[]> {
  return tx
    .select()
    .from(interceptors)
    .where(inScope(scope))
    .orderBy(asc(interceptors.createdAt), asc(interceptors.id));
}

/** NotFoundError when there is no such interceptor in `scope`. */
export async function getInterceptor(
  scope: Scope,
  id: string,
  tx: Executor = db,
): Promise<Interceptor> {
  const [found] = await tx
    .select()
    .from(interceptors)
    .where(and(eq(interceptors.id, id), inScope(scope)));
  if (!found) throw new NotFoundError("Interceptor");
  return found;
}

/** Changes the fields given, in one statement that only matches an interceptor in `scope`. */
export async function updateInterceptor(
  scope: Scope,
  id: string,
  input: InterceptorUpdateInput,
  tx: Executor = db,
): Promise<Interceptor> {
  const organizationId =
    input.organizationId === undefined
      ? undefined
      : await owningOrganization(scope, input.organizationId, GLOBAL_INTERCEPTORS, tx);
  if (input.url !== undefined) await assertUrlAllowed(input.url);
  const [updated] = await tx
    .update(interceptors)
    .set({
      name: input.name,
      url: input.url,
      secret: input.secret,
      timeoutMs: input.timeoutMs,
      fallback: input.fallback,
      enabled: input.enabled,
      organizationId,
      updatedAt: new Date(),
    })
    .where(and(eq(interceptors.id, id), inScope(scope)))
    .returning();
  if (!updated) throw new NotFoundError("Interceptor");
  return updated;
}

export async function deleteInterceptor(
  scope: Scope,
  id: string,
  tx: Executor = db,
): Promise<void> {
  const deleted = await tx
    .delete(interceptors)
    .where(and(eq(interceptors.id, id), inScope(scope)))
    .returning({ id: interceptors.id });
  if (deleted.length === 0) throw new NotFoundError("Interceptor");
}

const GLOBAL_INTERCEPTORS = "global interceptors";

function inScope(scope: Scope) {
  return scope.kind === "organization"
    ? eq(interceptors.organizationId, scope.organizationId)
    : undefined;
}

async function assertUrlAllowed(url: string): Promise<void> {
  try {
    await validateOutboundUrl(url);
  } catch (error) {
    if (error instanceof OutboundTargetError) throw new ValidationError({ url: error.message });
    throw error;
  }
}
