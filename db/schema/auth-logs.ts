import { sql } from "drizzle-orm";
import { bigserial, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const authStatuses = ["initiated", "pending", "success", "failure"] as const;
export type AuthStatus = (typeof authStatuses)[number];

export const authMethods = ["password", "email_code", "session"] as const;
export type AuthMethod = (typeof authMethods)[number];

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
    // The log list is newest first; keyset pagination walks (created_at, id).
    index("auth_requests_created_idx").on(table.createdAt.desc(), table.id.desc()),
    // The abandoned-request sweep only looks at open requests.
    index("auth_requests_open_idx").on(table.createdAt).where(sqlOpenStatuses()),
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
