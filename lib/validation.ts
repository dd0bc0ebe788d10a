import { z } from "zod";
import { hasNul, NUL_MESSAGE } from "./text";
import { INSTANT_RANGE_MESSAGE, isStorableInstant } from "./time";

/**
 * Zod building blocks that the API's and the forms' schemas share, so every boundary refuses the
 * same input with the same words. Server side only: the browser gets no zod (lib/text.ts and
 * lib/time.ts hold the plain checks these wrap).
 */

/** A string from outside that will be stored or looked up: refused when it holds a NUL. */
export function textWithoutNul() {
  return z.string().refine((text) => !hasNul(text), NUL_MESSAGE);
}

/**
 * A time filter from outside (API query or body): ISO 8601 with its offset, as a Date. The
 * offset is required: a bare local time would mean whatever the server's zone is.
 */
export const instantParam = z
  .string()
  .trim()
  .pipe(
    z.iso.datetime({
      offset: true,
      error: "must be an ISO 8601 date-time with a time zone, e.g. 2025-01-31T23:59:59Z",
    }),
  )
  .transform((text) => new Date(text))
  .refine(isStorableInstant, INSTANT_RANGE_MESSAGE);
