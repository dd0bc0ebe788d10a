import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Mail that Gatehouse sent, or would have sent when no SMTP server is configured. */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: text().primaryKey(),
    to: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    // "outbox" when kept for the operator to read (no SMTP), "smtp" when handed to the server.
    transport: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // Admins read the newest mail for one address.
  (table) => [index("mail_outbox_to_idx").on(table.to, table.createdAt)],
);

export type OutboxMessage = typeof mailOutbox.$inferSelect;
