import { sql } from "drizzle-orm";
import { bigserial, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { authMethods, authStatuses } from "@/constants/auth-logs";

/** One row per authentication attempt: the auth log. */
export const authRequests = pgTable(
  "auth_requests",
  {
    id: text().primaryKey(),
    status: text({ enum: authStatuses }).notNull().default("initiated"),
    // client_id as sent; may name no registered client (logged as a Failure).
    clientId: text(),
    organizationId: text(),
    userId: text(),
    email: text(),
    authMethod: text({ enum: authMethods }),
    connection: text(),
    redirectUri: text(),
    scope: text(),
    // The authorization request as received, kept to finish the flow after sign-in.
    state: text(),
    nonce: text(),
    codeChallenge: text(),
    codeChallengeMethod: text(),
    prompt: text(),
    loginHint: text(),
    // Set when this attempt restarts an earlier one (e.g. after a wrong password).
    retryOf: text(),
    ip: text(),
    userAgent: text(),
    errorCode: text(),
    errorDescription: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    // The log list is newest first; keyset pagination walks (created_at, id). status trails so the
    // dashboard's bounded counts and chart (lib/auth-logs/stats.ts) are index-only scans.
    index("auth_requests_created_idx").on(table.createdAt.desc(), table.id.desc(), table.status),
    // The dashboard's status filter (Failure above all): a status's newest entries, its counts and
    // time ranges without walking past the other statuses' rows.
    index("auth_requests_status_created_idx").on(
      table.status,
      table.createdAt.desc(),
      table.id.desc(),
    ),
    // The abandoned-request sweep only looks at open requests.
    index("auth_requests_open_idx").on(table.createdAt).where(sqlOpenStatuses()),
    // Organization-scoped API keys and the dashboard's organization filter read one tenant's
    // newest attempts; without this a small tenant's page walks every other tenant's rows.
    // status trails for the same reason as above (organization + status counts, index-only).
    index("auth_requests_org_created_idx").on(
      table.organizationId,
      table.createdAt.desc(),
      table.id.desc(),
      table.status,
    ),
    // An organization's failures (or any one status) over a time range: without it the
    // organization index walks every status of that tenant's range to find the few that match.
    index("auth_requests_org_status_created_idx").on(
      table.organizationId,
      table.status,
      table.createdAt.desc(),
      table.id.desc(),
    ),
    // "Which sign-ins did this application get": the client filter, same shape as above.
    index("auth_requests_client_created_idx").on(
      table.clientId,
      table.createdAt.desc(),
      table.id.desc(),
    ),
    // Support looks people up by email, exactly or by prefix (`ada*`); text_pattern_ops lets
    // LIKE 'prefix%' use the index whatever the database collation.
    // status and the raw email trail so email counts are index-only scans: PostgreSQL only
    // answers from an expression index when every column the query names is in it.
    index("auth_requests_email_created_idx").on(
      sql`lower(${table.email}) text_pattern_ops`,
      table.createdAt.desc(),
      table.id.desc(),
      table.status,
      table.email,
    ),
  ],
);

/** The journey of an auth request: every transition and notable step. */
export const authRequestEvents = pgTable(
  "auth_request_events",
  {
    // A sequence keeps events of one request in the order they were written, even within one ms.
    seq: bigserial({ mode: "number" }).primaryKey(),
    authRequestId: text()
      .notNull()
      .references(() => authRequests.id, { onDelete: "cascade" }),
    type: text().notNull(),
    status: text({ enum: authStatuses }),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // The detail page reads one request's events, oldest first.
    index("auth_request_events_request_idx").on(table.authRequestId, table.seq),
  ],
);

function sqlOpenStatuses() {
  return sql`status in ('initiated', 'pending')`;
}

export type AuthRequest = typeof authRequests.$inferSelect;
export type AuthRequestEvent = typeof authRequestEvents.$inferSelect;
