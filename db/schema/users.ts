import { sql } from "drizzle-orm";
import { pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const users = pgTable(
  "users",
  {
    id: text().primaryKey(),
    // Stored as given for display; uniqueness and look-ups are on lower(email).
    email: text().notNull(),
    name: text(),
    // scrypt (memory-hard) in PHC-like format; null for users who sign in by email code only.
    passwordHash: text(),
    emailVerifiedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("users_email_key").on(sql`lower(${table.email})`)],
);

export type User = typeof users.$inferSelect;
