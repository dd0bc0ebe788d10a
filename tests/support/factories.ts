import type { DeliveryStatus } from "@/constants/webhooks";
import { webhookDeliveries, webhookDeliveryAttempts, webhookEvents } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys";
import { insertClient } from "@/lib/clients";
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { createInterceptor } from "@/lib/interceptors";
import type { InterceptorCreateInput } from "@/lib/interceptors/schema";
import { insertOrganization } from "@/lib/organizations";
import { operatorScope, type Scope } from "@/lib/organizations/scope";
import { insertUser } from "@/lib/users";
import type { WebhookEventType } from "@/lib/webhooks/catalog";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import type { EndpointCreateInput } from "@/lib/webhooks/schema";
import { testEmail, testOrganizationName, uniqueSuffix } from "./test-data";

export { uniqueSuffix } from "./test-data";

/**
 * One factory per aggregate, for vitest and the benchmarks (Playwright makes the same aggregates
 * through the management API, e2e/support/api.ts, from the same test-data defaults). Every call
 * makes new, uniquely named rows, so tests never share state and never need a wipe.
 */

export async function createTestOrganization(
  overrides: { name?: string; domains?: string[] } = {},
) {
  const suffix = uniqueSuffix();
  return insertOrganization(db, {
    name: overrides.name ?? testOrganizationName(suffix),
    domains: overrides.domains ?? [`${suffix}.example.com`],
  });
}

export async function createTestUser(
  overrides: {
    email?: string;
    password?: string | null;
    organizationId?: string;
    name?: string;
  } = {},
) {
  const password = overrides.password === undefined ? "correct-horse-battery" : overrides.password;
  const user = await insertUser(db, {
    email: overrides.email ?? testEmail(),
    name: overrides.name ?? "Test User",
    password,
    organizationId: overrides.organizationId,
    role: "member",
  });
  return { user, password };
}

export async function createTestClient(
  overrides: {
    type?: "confidential" | "public";
    redirectUris?: string[];
    organizationId?: string;
  } = {},
) {
  return insertClient(db, {
    name: `App ${uniqueSuffix()}`,
    type: overrides.type ?? "confidential",
    redirectUris: overrides.redirectUris ?? ["https://app.example.com/callback"],
    organizationId: overrides.organizationId,
  });
}

/** A management API key: operator-wide, or an organization's. */
export async function createTestApiKey(organizationId: string | null = null) {
  return createApiKey({ name: `Test key ${uniqueSuffix()}`, organizationId });
}

/** An interceptor of `organizationId` (null = global), made by an operator. */
export async function createTestInterceptor(
  organizationId: string | null,
  overrides: Partial<InterceptorCreateInput> & { url: string },
) {
  return createInterceptor(operatorScope, {
    name: `Interceptor ${uniqueSuffix()}`,
    organizationId,
    ...overrides,
  });
}

/** An endpoint of `organizationId` (null = operator endpoint), made by an operator. */
export async function createTestEndpoint(
  organizationId: string | null,
  overrides: Partial<EndpointCreateInput> = {},
  scope: Scope = operatorScope,
) {
  return createEndpoint(scope, {
    url: "https://hooks.example.com/gatehouse",
    organizationId,
    ...overrides,
  });
}

/** One delivery to seed: when it was created, how it stands, and the answers its attempts got. */
export type DeliverySeed = {
  at: Date;
  status?: DeliveryStatus;
  type?: WebhookEventType;
  attempts?: { status: number | null; durationMs: number }[];
};

/**
 * Deliveries of `endpointId` as they would be after the fact, each with its own event and its
 * attempts, written directly: for logs, counts and charts that depend on when rows were created.
 * Returns their ids in `seeds` order.
 */
export async function createTestDeliveries(
  endpointId: string,
  seeds: DeliverySeed[],
): Promise<string[]> {
  if (seeds.length === 0) return [];
  const events = seeds.map((seed) => ({
    id: newId("evt"),
    type: seed.type ?? "webhook.test",
    organizationId: null,
    body: JSON.stringify({ id: "x", type: seed.type ?? "webhook.test", data: {} }),
    occurredAt: seed.at,
    createdAt: seed.at,
  }));
  await db.insert(webhookEvents).values(events);
  const deliveries = seeds.map((seed, index) => ({
    id: newId("dlv"),
    eventId: events[index]?.id as string,
    endpointId,
    eventType: seed.type ?? "webhook.test",
    status: seed.status ?? "success",
    attemptCount: seed.attempts?.length ?? 0,
    dispatchedAt: seed.at,
    createdAt: seed.at,
    updatedAt: seed.at,
  }));
  await db.insert(webhookDeliveries).values(deliveries);
  const attempts = seeds.flatMap((seed, index) =>
    (seed.attempts ?? []).map((attempt, n) => ({
      deliveryId: deliveries[index]?.id as string,
      attempt: n + 1,
      trigger: "scheduled" as const,
      startedAt: seed.at,
      requestUrl: "https://hooks.example.com/gatehouse",
      requestHeaders: { "webhook-id": events[index]?.id as string },
      requestBody: events[index]?.body as string,
      responseStatus: attempt.status,
      durationMs: attempt.durationMs,
    })),
  );
  if (attempts.length) await db.insert(webhookDeliveryAttempts).values(attempts);
  return deliveries.map((delivery) => delivery.id);
}
