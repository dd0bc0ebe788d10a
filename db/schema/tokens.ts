import { index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { authRequests } from "./auth-logs";

/** Authorization codes, stored by hash; single use, bound to client, redirect URI and PKCE. */
export const authorizationCodes = pgTable("authorization_codes", {
  codeHash: text().primaryKey(),
  authRequestId: text()
    .notNull()
    .references(() => authRequests.id, { onDelete: "cascade" }),
  clientId: text().notNull(),
  userId: text().notNull(),
  redirectUri: text().notNull(),
  scope: text().notNull(),
  nonce: text(),
  codeChallenge: text().notNull(),
  authTime: timestamp({ withTimezone: true }).notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  consumedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * Access tokens are JWTs; this row lets userinfo and revocation refuse one before it expires
 * (for example when its code is replayed).
 */
export const accessTokens = pgTable(
  "access_tokens",
  {
    jti: text().primaryKey(),
    authRequestId: text().notNull(),
    clientId: text().notNull(),
    userId: text().notNull(),
    scope: text().notNull(),
    // Refresh family the token was minted from, so revoking a family reaches its access tokens.
    familyId: text(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Code replay revokes everything issued from one auth request.
    index("access_tokens_request_idx").on(table.authRequestId),
    index("access_tokens_family_idx").on(table.familyId),
  ],
);

/** Refresh tokens, rotated on use; a family is every token descended from one code exchange. */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: text().primaryKey(),
    tokenHash: text().notNull(),
    familyId: text().notNull(),
    authRequestId: text().notNull(),
    clientId: text().notNull(),
    userId: text().notNull(),
    scope: text().notNull(),
    nonce: text(),
    authTime: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    rotatedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("refresh_tokens_hash_key").on(table.tokenHash),
    index("refresh_tokens_family_idx").on(table.familyId),
    index("refresh_tokens_request_idx").on(table.authRequestId),
  ],
);

/** Browser sessions at Gatehouse (single sign-on across applications, ended by logout). */
export const sessions = pgTable(
  "sessions",
  {
    id: text().primaryKey(),
    tokenHash: text().notNull(),
    userId: text().notNull(),
    authMethod: text().notNull(),
    authTime: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("sessions_token_hash_key").on(table.tokenHash)],
);

/** Passwordless one-time codes sent by email, one live code per auth request. */
export const emailCodes = pgTable(
  "email_codes",
  {
    id: text().primaryKey(),
    authRequestId: text()
      .notNull()
      .references(() => authRequests.id, { onDelete: "cascade" }),
    userId: text().notNull(),
    codeHash: text().notNull(),
    attempts: integer().notNull().default(0),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    consumedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("email_codes_request_idx").on(table.authRequestId)],
);

export type AuthorizationCode = typeof authorizationCodes.$inferSelect;
export type RefreshToken = typeof refreshTokens.$inferSelect;
export type AccessToken = typeof accessTokens.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type EmailCode = typeof emailCodes.$inferSelect;
