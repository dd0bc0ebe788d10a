// The OAuth clients' vocabulary: plain values, safe to import from the browser, lib/ and db/ alike.

/** Confidential clients authenticate with a secret; public ones (SPAs, native apps) cannot. */
export const clientTypes = ["confidential", "public"] as const;
export type ClientType = (typeof clientTypes)[number];
