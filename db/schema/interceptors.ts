import { boolean, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { interceptorFallbacks } from "@/constants/interceptors";
import { organizations } from "./organizations";

/** Pre-sign-in interceptors: an HTTP hook that may ALLOW or DENY a sign-in before a session. */
export const interceptors = pgTable(
  "interceptors",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    // Null = applies to every organization's sign-ins.
    organizationId: text().references(() => organizations.id, { onDelete: "cascade" }),
    url: text().notNull(),
    secret: text().notNull(),
    timeoutMs: integer().notNull().default(5000),
    fallback: text({ enum: interceptorFallbacks }).notNull().default("fail_closed"),
    enabled: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("interceptors_org_idx").on(table.organizationId)],
);

export type Interceptor = typeof interceptors.$inferSelect;
