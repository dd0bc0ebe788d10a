// The organizations' vocabulary: plain values, safe to import from the browser, lib/ and db/ alike.

/** A member's role in an organization; admins may use the dashboard. */
export const memberRoles = ["admin", "member"] as const;
export type MemberRole = (typeof memberRoles)[number];
