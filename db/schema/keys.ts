import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const signingKeyStatuses = ["active", "retired"] as const;

/**
 * Asymmetric keys for ID tokens and access tokens. One is active; retired keys stay published
 * in JWKS until `retireAfter` so tokens signed before a rotation still verify.
 */
export const signingKeys = pgTable("signing_keys", {
  kid: text().primaryKey(),
  alg: text().notNull(),
  status: text({ enum: signingKeyStatuses }).notNull(),
  publicJwk: jsonb().$type<Record<string, unknown>>().notNull(),
  privateJwk: jsonb().$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp({ withTimezone: true }),
  unpublishAt: timestamp({ withTimezone: true }),
});

export type SigningKey = typeof signingKeys.$inferSelect;
