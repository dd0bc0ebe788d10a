import "server-only";
import type { WebhookDelivery, WebhookEndpoint } from "@/db/schema";
import type { DeliveryWithAttempts } from "./deliveries";
import type { EndpointSecret } from "./endpoints";

/**
 * The webhooks part of the management API's wire format (snake_case, ISO 8601). An endpoint's
 * signing secret appears only where it is asked for: creation, reveal and rotation.
 */
export function serializeEndpoint(endpoint: WebhookEndpoint, options: { secret?: string } = {}) {
  return {
    id: endpoint.id,
    organization_id: endpoint.organizationId,
    url: endpoint.url,
    description: endpoint.description,
    // null = every event type
    event_types: endpoint.eventTypes,
    rate_limit_per_second: endpoint.rateLimitPerSecond,
    enabled: endpoint.enabled,
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
    ...(options.secret ? { secret: options.secret } : {}),
  };
}

export function serializeEndpointSecret(secret: EndpointSecret) {
  return {
    secret: secret.secret,
    // While set, requests are signed with the previous secret too.
    previous_secret_expires_at: iso(secret.previousSecretExpiresAt),
  };
}

export function serializeDelivery(delivery: WebhookDelivery) {
  return {
    id: delivery.id,
    status: delivery.status,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    attempt_count: delivery.attemptCount,
    next_attempt_at: iso(delivery.nextAttemptAt),
    created_at: delivery.createdAt.toISOString(),
  };
}

export function serializeDeliveryWithAttempts(delivery: DeliveryWithAttempts) {
  return {
    ...serializeDelivery(delivery),
    endpoint_id: delivery.endpointId,
    attempts: delivery.attempts.map((attempt) => ({
      attempt: attempt.attempt,
      trigger: attempt.trigger,
      started_at: attempt.startedAt.toISOString(),
      request_url: attempt.requestUrl,
      request_headers: attempt.requestHeaders,
      request_body: attempt.requestBody,
      response_status: attempt.responseStatus,
      response_headers: attempt.responseHeaders,
      response_body: attempt.responseBody,
      response_body_truncated: attempt.responseBodyTruncated,
      duration_ms: attempt.durationMs,
      error: attempt.error,
    })),
  };
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
