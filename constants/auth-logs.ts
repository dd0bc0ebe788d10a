// The auth log's vocabulary: plain values, safe to import from the browser, lib/ and db/ alike.

/** Where an authentication attempt stands: Initiated → Pending → Success | Failure. */
export const authStatuses = ["initiated", "pending", "success", "failure"] as const;
export type AuthStatus = (typeof authStatuses)[number];

/** How the user proved who they are. */
export const authMethods = ["password", "email_code", "session"] as const;
export type AuthMethod = (typeof authMethods)[number];
