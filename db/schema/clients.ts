import { index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { clientTypes } from "@/constants/clients";
import { organizations } from "./organizations";

export const oauthClients = pgTable(
  "oauth_clients",
  {
    id: text().primaryKey(),
    // The public identifier clients send as client_id.
    clientId: text().notNull(),
    name: text().notNull(),
    type: text({ enum: clientTypes }).notNull(),
    // sha256 of the secret; the secret itself is shown once at creation.
    secretHash: text(),
    redirectUris: text().array().notNull(),
    postLogoutRedirectUris: text().array().notNull().default([]),
    // Optional owner; null for operator-level applications such as the dashboard.
    organizationId: text().references(() => organizations.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("oauth_clients_client_id_key").on(table.clientId),
    index("oauth_clients_org_idx").on(table.organizationId),
  ],
);

export type OAuthClient = typeof oauthClients.$inferSelect;
