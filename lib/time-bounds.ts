import "server-only";
import { lt, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { addMs } from "./time";

/**
 * `column` at or before `to`, an inclusive upper bound given to the millisecond (as every time
 * this app prints or takes is): stored times carry microseconds, so a row created within `to`'s
 * millisecond but after its first instant must still match. Compared with `<` on the next
 * millisecond.
 */
export function atOrBefore(column: AnyPgColumn, to: Date): SQL {
  return lt(column, addMs(to, 1));
}
