import "server-only";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { type WebhookEndpoint, webhookEndpoints } from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { OutboundTargetError, validateOutboundUrl } from "@/lib/net/outbound-target";
import { owningOrganization } from "@/lib/organizations";
import type { Scope } from "@/lib/organizations/scope";
import { newestFirstPage, type Page, type PageRequest } from "@/lib/pagination";
import { generateWebhookSecret } from "@/lib/signing/standard-webhooks";
import type { EndpointCreateInput, EndpointUpdateInput } from "./schema";

/**
 * Webhook endpoints, always read and written through a Scope: an organization's key manages its
 * own endpoints; operator-wide callers manage every endpoint and may create operator endpoints
 * (no organization), which receive the events of every organization. Endpoints outside the
 * scope answer as unknown ids.
 */

/** After a rotation the old secret keeps signing this long, alongside the new one. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

export type CreatedEndpoint = { endpoint: WebhookEndpoint; secret: string };

export async function createEndpoint(
  scope: Scope,
  input: EndpointCreateInput,
  tx: Executor = db,
): Promise<CreatedEndpoint> {
  const organizationId = await owningOrganization(
    scope,
    input.organizationId,
    "operator endpoints",
    tx,
  );
  const url = await allowedUrl(input.url);
  const secret = generateWebhookSecret();
  const [endpoint] = await tx
    .insert(webhookEndpoints)
    .values({
      id: newId("ep"),
      organizationId,
      url,
      description: input.description ?? null,
      eventTypes: input.eventTypes ?? null,
      rateLimitPerSecond: input.rateLimitPerSecond ?? null,
      enabled: input.enabled ?? true,
      secret,
    })
    .returning();
  return { endpoint: endpoint as WebhookEndpoint, secret };
}

/** Endpoints visible in `scope`, newest first. */
export async function listEndpoints(
  scope: Scope,
  page: PageRequest,
  tx: Executor = db,
): Promise<Page<WebhookEndpoint>> {
  return newestFirstPage(tx, webhookEndpoints, endpointInScope(scope), page);
}

/** One endpoint; NotFoundError when missing or outside `scope`. */
export async function getEndpoint(
  scope: Scope,
  id: string,
  tx: Executor = db,
  options: { lock?: "share" } = {},
): Promise<WebhookEndpoint> {
  const query = tx
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), endpointInScope(scope)));
  const [endpoint] = options.lock ? await query.for(options.lock) : await query;
  if (!endpoint) throw new NotFoundError("Webhook endpoint");
  return endpoint;
}

/**
 * Changes the fields given, in one statement that only matches an endpoint in `scope`;
 * `eventTypes: null` subscribes to every type again.
 */
export async function updateEndpoint(
  scope: Scope,
  id: string,
  input: EndpointUpdateInput,
  tx: Executor = db,
): Promise<WebhookEndpoint> {
  const url = input.url === undefined ? undefined : await allowedUrl(input.url);
  const [updated] = await tx
    .update(webhookEndpoints)
    .set({
      url,
      description: input.description,
      eventTypes: input.eventTypes,
      rateLimitPerSecond: input.rateLimitPerSecond,
      enabled: input.enabled,
      updatedAt: new Date(),
    })
    .where(and(eq(webhookEndpoints.id, id), endpointInScope(scope)))
    .returning();
  if (!updated) throw new NotFoundError("Webhook endpoint");
  return updated;
}

/** Deletes the endpoint with its deliveries and their attempts; runs in flight find it gone. */
export async function deleteEndpoint(scope: Scope, id: string, tx: Executor = db): Promise<void> {
  const deleted = await tx
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), endpointInScope(scope)))
    .returning({ id: webhookEndpoints.id });
  if (deleted.length === 0) throw new NotFoundError("Webhook endpoint");
}

export type EndpointSecret = { secret: string; previousSecretExpiresAt: Date | null };

/** The signing secret in full, on demand (it is never part of the endpoint's listing). */
export async function revealEndpointSecret(
  scope: Scope,
  id: string,
  now: Date = new Date(),
): Promise<EndpointSecret> {
  const endpoint = await getEndpoint(scope, id);
  return { secret: endpoint.secret, previousSecretExpiresAt: previousSecretExpiry(endpoint, now) };
}

/**
 * Replaces the signing secret. The old one keeps signing for 24 hours, so every request in that
 * window carries two signatures and receivers can switch secrets at their own pace. A secret
 * still in its grace period from an earlier rotation stops signing at once.
 */
export async function rotateEndpointSecret(
  scope: Scope,
  id: string,
  now: Date = new Date(),
): Promise<EndpointSecret> {
  const secret = generateWebhookSecret();
  const previousSecretExpiresAt = new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS);
  const [rotated] = await db
    .update(webhookEndpoints)
    .set({
      // Read in the same statement, so two rotations at once cannot both keep the same "old".
      previousSecret: sql`${webhookEndpoints.secret}`,
      previousSecretExpiresAt,
      secret,
      updatedAt: now,
    })
    .where(and(eq(webhookEndpoints.id, id), endpointInScope(scope)))
    .returning();
  if (!rotated) throw new NotFoundError("Webhook endpoint");
  return { secret, previousSecretExpiresAt };
}

/** The secrets that sign a request sent at `now`: the current one, then the previous in grace. */
export function signingSecrets(endpoint: WebhookEndpoint, now: Date = new Date()): string[] {
  const previous = previousSecretExpiry(endpoint, now) ? endpoint.previousSecret : null;
  return previous ? [endpoint.secret, previous] : [endpoint.secret];
}

/** Whether the endpoint wants this type (null = every type). */
export function endpointReceives(endpoint: WebhookEndpoint, eventType: string): boolean {
  return endpoint.eventTypes === null || endpoint.eventTypes.includes(eventType);
}

/**
 * Inngest sleeps have a resolution of one second (shorter ones are rounded up), so a shorter
 * wait for a send slot is spent in the step itself: the endpoint could not be sent to meanwhile
 * anyway, and its requests go out one at a time.
 */
export const SHORTEST_DURABLE_WAIT_MS = 1000;

/**
 * Takes the endpoint's next send slot and waits for it when that is under a second away.
 * Returns the wait still to do (0, or at least a second, to be slept durably).
 */
export async function takeSendSlot(endpointId: string): Promise<number> {
  const waitMs = await reserveSendSlot(endpointId);
  if (waitMs >= SHORTEST_DURABLE_WAIT_MS) return waitMs;
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  return 0;
}

/**
 * Takes the endpoint's next send slot under its `rate_limit_per_second` and says how long to
 * wait for it (0 = send now). Slots are 1/rate apart; taking one is a single UPDATE, so callers
 * racing for the same endpoint get distinct slots in the order their statements ran.
 */
export async function reserveSendSlot(endpointId: string, now: Date = new Date()): Promise<number> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const spacing = sql`make_interval(secs => 1.0 / ${webhookEndpoints.rateLimitPerSecond})`;
  const [slot] = await db
    .update(webhookEndpoints)
    .set({ nextSendAt: sql`greatest(${webhookEndpoints.nextSendAt}, ${at}) + ${spacing}` })
    .where(
      and(eq(webhookEndpoints.id, endpointId), sql`${webhookEndpoints.rateLimitPerSecond} > 0`),
    )
    .returning({
      // RETURNING sees the new value: the slot taken is one spacing before it.
      sendAtMs: sql<number>`(extract(epoch from ${webhookEndpoints.nextSendAt} - ${spacing}) * 1000)::float8`,
    });
  if (!slot) return 0;
  return Math.max(0, Math.ceil(Number(slot.sendAtMs) - now.getTime()));
}

/**
 * The endpoints `scope` may see, as a condition: an organization's own endpoints, or every one
 * for operators. Every read and write of endpoints (and of their deliveries) goes through it.
 */
export function endpointInScope(scope: Scope): SQL | undefined {
  return scope.kind === "organization"
    ? eq(webhookEndpoints.organizationId, scope.organizationId)
    : undefined;
}

// ---------------------------------------------------------------------------------------------

function previousSecretExpiry(endpoint: WebhookEndpoint, now: Date): Date | null {
  const expires = endpoint.previousSecretExpiresAt;
  return endpoint.previousSecret && expires && expires.getTime() > now.getTime() ? expires : null;
}

/** HTTPS and a public address (unless WEBHOOK_ALLOW_PRIVATE_TARGETS); checked again per send. */
async function allowedUrl(raw: string): Promise<string> {
  try {
    return (await validateOutboundUrl(raw)).href;
  } catch (error) {
    if (error instanceof OutboundTargetError) throw new ValidationError({ url: error.message });
    throw error;
  }
}
