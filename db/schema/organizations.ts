import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { memberRoles } from "@/constants/organizations";
import { users } from "./users";

export const organizations = pgTable(
  "organizations",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    slug: text().notNull(),
    // The operator organization's admins run Gatehouse itself and see every tenant.
    isOperator: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("organizations_slug_key").on(table.slug),
    // Exactly one operator organization, even when several instances bootstrap at once.
    uniqueIndex("organizations_operator_key").on(table.isOperator).where(sql`is_operator`),
    // The dashboard lists organizations by name in pickers.
    index("organizations_name_idx").on(table.name),
  ],
);

export const organizationDomains = pgTable(
  "organization_domains",
  {
    id: text().primaryKey(),
    organizationId: text()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    domain: text().notNull(),
    verifiedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Home realm discovery looks a domain up on every sign-in; one domain belongs to one org.
    uniqueIndex("organization_domains_domain_key").on(sql`lower(${table.domain})`),
    index("organization_domains_org_idx").on(table.organizationId),
  ],
);

export const memberships = pgTable(
  "memberships",
  {
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organizationId: text()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    role: text({ enum: memberRoles }).notNull().default("member"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.organizationId] }),
    // "Members of this organization" reads by organization.
    index("memberships_org_idx").on(table.organizationId),
  ],
);

export type Organization = typeof organizations.$inferSelect;
export type OrganizationDomain = typeof organizationDomains.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
