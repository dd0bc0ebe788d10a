// The webhooks' vocabulary: plain values, safe to import from the browser, lib/ and db/ alike.

/** Where a delivery stands; `retrying` always has a next attempt scheduled. */
export const deliveryStatuses = ["queued", "retrying", "success", "failed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** `scheduled`: part of the automatic schedule; `manual`: the first attempt of a replay. */
export const attemptTriggers = ["scheduled", "manual"] as const;
export type AttemptTrigger = (typeof attemptTriggers)[number];
