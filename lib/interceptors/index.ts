import "server-only";
import { asc, eq, isNull } from "drizzle-orm";
import type { z } from "zod";
import { type Interceptor, interceptors } from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { OutboundTargetError, validateOutboundUrl } from "@/lib/net/outbound-target";
import { findOrganization } from "@/lib/organizations";
import { generateWebhookSecret } from "@/lib/signing/standard-webhooks";
import {
  type InterceptorCreateInput,
  type InterceptorUpdateInput,
  interceptorCreateSchema,
  interceptorUpdateSchema,
} from "./schema";

export {
  type InterceptorOutcome,
  listApplicableInterceptors,
  type PreSignInContext,
  runPreSignInInterceptors,
} from "./run";
export {
  type InterceptorCreateInput,
  type InterceptorUpdateInput,
  interceptorCreateSchema,
  interceptorUpdateSchema,
} from "./schema";

/**
 * Pre-sign-in interceptors: HTTP hooks asked ALLOW or DENY after a user proved who they are and
 * before a session or code is issued. Input is parsed with the shared schema (ValidationError
 * with API field names when it does not fit) and the URL must be an allowed outbound target.
 */
export async function createInterceptor(
  input: InterceptorCreateInput,
  tx: Executor = db,
): Promise<Interceptor> {
  const parsed = parse(interceptorCreateSchema, input);
  await assertUrlAllowed(parsed.url);
  if (parsed.organization_id) await assertOrganizationExists(parsed.organization_id, tx);
  const [created] = await tx
    .insert(interceptors)
    .values({
      id: newId("icp"),
      name: parsed.name,
      url: parsed.url,
      secret: parsed.secret ?? generateWebhookSecret(),
      timeoutMs: parsed.timeout_ms,
      fallback: parsed.fallback,
      enabled: parsed.enabled,
      organizationId: parsed.organization_id ?? null,
    })
    .returning();
  return created as Interceptor;
}

/**
 * Interceptors, oldest first (the order they run in). `organizationId` undefined lists all;
 * null lists only global ones; an id lists only that organization's.
 */
export async function listInterceptors(
  organizationId?: string | null,
  tx: Executor = db,
): Promise<Interceptor[]> {
  const where =
    organizationId === undefined
      ? undefined
      : organizationId === null
        ? isNull(interceptors.organizationId)
        : eq(interceptors.organizationId, organizationId);
  return tx
    .select()
    .from(interceptors)
    .where(where)
    .orderBy(asc(interceptors.createdAt), asc(interceptors.id));
}

/** Throws NotFoundError when there is no interceptor with this id. */
export async function getInterceptor(id: string, tx: Executor = db): Promise<Interceptor> {
  const [found] = await tx.select().from(interceptors).where(eq(interceptors.id, id));
  if (!found) throw new NotFoundError("Interceptor");
  return found;
}

export async function updateInterceptor(
  id: string,
  input: InterceptorUpdateInput,
  tx: Executor = db,
): Promise<Interceptor> {
  const parsed = parse(interceptorUpdateSchema, input);
  if (parsed.url !== undefined) await assertUrlAllowed(parsed.url);
  if (parsed.organization_id) await assertOrganizationExists(parsed.organization_id, tx);
  const [updated] = await tx
    .update(interceptors)
    .set({
      name: parsed.name,
      url: parsed.url,
      secret: parsed.secret,
      timeoutMs: parsed.timeout_ms,
      fallback: parsed.fallback,
      enabled: parsed.enabled,
      organizationId: parsed.organization_id,
      updatedAt: new Date(),
    })
    .where(eq(interceptors.id, id))
    .returning();
  if (!updated) throw new NotFoundError("Interceptor");
  return updated;
}

export async function deleteInterceptor(id: string, tx: Executor = db): Promise<void> {
  const deleted = await tx
    .delete(interceptors)
    .where(eq(interceptors.id, id))
    .returning({ id: interceptors.id });
  if (deleted.length === 0) throw new NotFoundError("Interceptor");
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join(".") || "body";
    fields[field] ??= issue.message;
  }
  throw new ValidationError(fields);
}

async function assertUrlAllowed(url: string): Promise<void> {
  try {
    await validateOutboundUrl(url);
  } catch (error) {
    if (error instanceof OutboundTargetError) throw new ValidationError({ url: error.message });
    throw error;
  }
}

async function assertOrganizationExists(organizationId: string, tx: Executor): Promise<void> {
  if (!(await findOrganization(organizationId, tx))) {
    throw new ValidationError({ organization_id: `No organization has the id ${organizationId}` });
  }
}
