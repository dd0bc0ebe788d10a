import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { attemptTriggers, deliveryStatuses } from "@/constants/webhooks";
import { organizations } from "./organizations";

/** A customer's HTTPS endpoint that receives signed webhooks. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text().primaryKey(),
    // Null = an operator endpoint: it receives the events of every organization.
    organizationId: text().references(() => organizations.id, { onDelete: "cascade" }),
    url: text().notNull(),
    description: text(),
    // Null = every event type; otherwise the types this endpoint subscribed to.
    eventTypes: text().array(),
    // Null = no limit of its own (the delivery function's throttle still caps it).
    rateLimitPerSecond: integer(),
    enabled: boolean().notNull().default(true),
    // `whsec_…`: needed in clear to sign, so stored as is (like interceptor secrets).
    secret: text().notNull(),
    // After a rotation the old secret keeps signing until it expires (24 h), so receivers can
    // switch over without dropping a message.
    previousSecret: text(),
    previousSecretExpiresAt: timestamp({ withTimezone: true }),
    // The earliest time the next request may go out under `rateLimitPerSecond`.
    nextSendAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Listing an organization's endpoints (newest first, keyset), and the fan-out on every
    // emitted event, which reads the enabled endpoints of one organization.
    index("webhook_endpoints_org_created_idx").on(
      table.organizationId,
      table.createdAt.desc(),
      table.id.desc(),
    ),
  ],
);

/**
 * One emitted event, stored once however many endpoints receive it. `body` is the exact JSON
 * text that is sent and signed, so every attempt and replay sends the same bytes.
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: text().primaryKey(),
    type: text().notNull(),
    // No foreign key: organization.deleted must outlive the organization it describes.
    organizationId: text(),
    body: text().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // Support looks events up by organization and time.
  (table) => [index("webhook_events_org_created_idx").on(table.organizationId, table.createdAt)],
);

/** One event on its way to one endpoint: the unit that is retried, logged and replayed. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text().primaryKey(),
    eventId: text()
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    endpointId: text()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    // A copy of the event's type, so the log filters without a join.
    eventType: text().notNull(),
    status: text({ enum: deliveryStatuses }).notNull().default("queued"),
    attemptCount: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }),
    // 1 for the first run; each replay starts a new sequence of attempts.
    sequence: integer().notNull().default(1),
    // The Inngest run delivering the current sequence; a second run of it steps aside.
    runId: text(),
    // When the current sequence was handed to Inngest; null = not yet (the sweep re-sends).
    dispatchedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // The endpoint's delivery log: newest first, keyset over (created_at, id). status trails so
    // the chart's counts per bucket and status over a time range are index-only scans; without
    // it a day of deliveries reads its rows from the table, page by page.
    index("webhook_deliveries_endpoint_created_idx").on(
      table.endpointId,
      table.createdAt.desc(),
      table.id.desc(),
      table.status,
    ),
    // The log filtered by status, and bulk replay of the Failed ones in a time range: keyset
    // order within one status, where the chart's range starts, exact counts of rare statuses.
    index("webhook_deliveries_endpoint_status_created_idx").on(
      table.endpointId,
      table.status,
      table.createdAt.desc(),
      table.id.desc(),
    ),
    // The log filtered by event type (a rare type would otherwise walk the endpoint's whole log).
    // status trails for the chart, as above.
    index("webhook_deliveries_endpoint_type_created_idx").on(
      table.endpointId,
      table.eventType,
      table.createdAt.desc(),
      table.id.desc(),
      table.status,
    ),
    // The hand-off sweep looks only at deliveries never handed to Inngest.
    index("webhook_deliveries_undispatched_idx")
      .on(table.updatedAt)
      .where(sql`dispatched_at is null`),
    // Deleting an event (retention) finds its deliveries.
    index("webhook_deliveries_event_idx").on(table.eventId),
  ],
);

/** Every request made for a delivery, with what came back. */
export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    deliveryId: text()
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    // 1, 2, … across every sequence of the delivery (a replay continues the count).
    attempt: integer().notNull(),
    trigger: text({ enum: attemptTriggers }).notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    requestUrl: text().notNull(),
    requestHeaders: jsonb().$type<Record<string, string>>().notNull(),
    requestBody: text().notNull(),
    // Null when no answer came (timeout, connection or DNS error, refused target).
    responseStatus: integer(),
    responseHeaders: jsonb().$type<Record<string, string>>(),
    // The first 64 KiB.
    responseBody: text(),
    responseBodyTruncated: boolean().notNull().default(false),
    durationMs: integer().notNull(),
    error: text(),
  },
  // The primary key is also what makes a re-run attempt step write its row only once.
  (table) => [primaryKey({ columns: [table.deliveryId, table.attempt] })],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookEvent = typeof webhookEvents.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookDeliveryAttempt = typeof webhookDeliveryAttempts.$inferSelect;
