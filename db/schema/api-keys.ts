import { pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

/** Management API keys, stored by sha256. Null organization = operator-wide key. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    keyHash: text().notNull(),
    // First characters of the key, shown so operators can tell keys apart.
    prefix: text().notNull(),
    organizationId: text().references(() => organizations.id, { onDelete: "cascade" }),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("api_keys_hash_key").on(table.keyHash)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
