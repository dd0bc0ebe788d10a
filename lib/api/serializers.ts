import "server-only";
import type { Interceptor, OAuthClient, OutboxMessage } from "@/db/schema";
import type { AuthLogEntry, AuthLogWithEvents } from "@/lib/auth-logs/queries";
import type { OrganizationWithDomains } from "@/lib/organizations";
import type { Page } from "@/lib/pagination";
import type { UserProfile } from "@/lib/users";

/**
 * The management API's wire format: snake_case, ISO 8601 timestamps, and nothing secret
 * (password hashes, client secret hashes) ever leaves through these.
 */
export function serializePage<T>(page: Page<T>, present: (item: T) => unknown) {
  return { data: page.data.map(present), next_cursor: page.nextCursor };
}

export function serializeOrganization(organization: OrganizationWithDomains) {
  return {
    id: organization.id,
    name: organization.name,
    slug: organization.slug,
    domains: organization.domains,
    is_operator: organization.isOperator,
    created_at: iso(organization.createdAt),
    updated_at: iso(organization.updatedAt),
  };
}

export function serializeUser(user: UserProfile) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    has_password: user.hasPassword,
    email_verified_at: iso(user.emailVerifiedAt),
    memberships: user.memberships.map((membership) => ({
      organization_id: membership.organizationId,
      organization_name: membership.organizationName,
      role: membership.role,
      created_at: iso(membership.createdAt),
    })),
    created_at: iso(user.createdAt),
    updated_at: iso(user.updatedAt),
  };
}

/** `clientSecret` is passed only when the client was just created: it is shown exactly once. */
export function serializeClient(client: OAuthClient, clientSecret?: string | null) {
  return {
    client_id: client.clientId,
    name: client.name,
    type: client.type,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    organization_id: client.organizationId,
    created_at: iso(client.createdAt),
    updated_at: iso(client.updatedAt),
    ...(clientSecret ? { client_secret: clientSecret } : {}),
  };
}

export function serializeAuthLog(entry: AuthLogEntry) {
  return {
    id: entry.id,
    status: entry.status,
    email: entry.email,
    user_id: entry.userId,
    auth_method: entry.authMethod,
    connection: entry.connection,
    organization_id: entry.organizationId,
    client_id: entry.clientId,
    redirect_uri: entry.redirectUri,
    scope: entry.scope,
    retry_of: entry.retryOf,
    ip: entry.ip,
    user_agent: entry.userAgent,
    error_code: entry.errorCode,
    error_description: entry.errorDescription,
    created_at: iso(entry.createdAt),
    updated_at: iso(entry.updatedAt),
    completed_at: iso(entry.completedAt),
  };
}

export function serializeAuthLogWithEvents(entry: AuthLogWithEvents) {
  return {
    ...serializeAuthLog(entry),
    events: entry.events.map((event) => ({
      type: event.type,
      status: event.status,
      detail: event.detail,
      created_at: iso(event.createdAt),
    })),
  };
}

export function serializeOutboxMessage(message: OutboxMessage) {
  return {
    id: message.id,
    to: message.to,
    subject: message.subject,
    text: message.text,
    transport: message.transport,
    created_at: iso(message.createdAt),
  };
}

/** `secret` signs the calls to the interceptor; shown when created, never listed. */
export function serializeInterceptor(
  interceptor: Interceptor,
  options: { withSecret?: boolean } = {},
) {
  return {
    id: interceptor.id,
    name: interceptor.name,
    organization_id: interceptor.organizationId,
    url: interceptor.url,
    timeout_ms: interceptor.timeoutMs,
    fallback: interceptor.fallback,
    enabled: interceptor.enabled,
    created_at: iso(interceptor.createdAt),
    updated_at: iso(interceptor.updatedAt),
    ...(options.withSecret ? { secret: interceptor.secret } : {}),
  };
}

function iso(date: Date): string;
function iso(date: Date | null): string | null;
function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
