import { randomBytes } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";

// Crockford base32: sortable as text, no ambiguous letters.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export type IdPrefix =
  | "org"
  | "dom"
  | "usr"
  | "app"
  | "areq"
  | "aev"
  | "key"
  | "ak"
  | "rt"
  | "at"
  | "ses"
  | "otp"
  | "msg"
  | "icp"
  | "ep"
  | "evt"
  | "dlv";

/**
 * A prefixed, time-ordered id (`areq_01j…`): 10 characters of millisecond time then 16 random,
 * so ids sort by creation like ULIDs and say what they identify.
 */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return `${prefix}_${encodeTime(now)}${randomChars(16)}`;
}

/**
 * SQL for a `newId` made by the database, one per row of an INSERT … SELECT: the time part is
 * `at`'s, the random part 16 hex digits of a hash of a fresh UUID (hex digits are in the
 * alphabet): 64 random bits where `newId` has 80, ample for ids whose time part is the same only
 * within a millisecond.
 */
export function newIdSql(prefix: IdPrefix, at: SQL): SQL {
  // Plain arithmetic repeated per character: cheaper than a per-row subquery computing it once.
  const ms = sql`(extract(epoch from ${at}) * 1000)::bigint`;
  const characters = Array.from(
    { length: 10 },
    (_, index) =>
      sql`substr(${ALPHABET}, ((${ms} >> ${sql.raw(String(5 * (9 - index)))}) & 31)::int + 1, 1)`,
  );
  return sql`${`${prefix}_`} || ${sql.join(characters, sql` || `)} || substr(md5(gen_random_uuid()::text), 1, 16)`;
}

/** An unguessable token for secrets and codes: 256 bits, base64url. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

function encodeTime(ms: number): string {
  let out = "";
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function randomChars(count: number): string {
  const bytes = randomBytes(count);
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte % 32];
  return out;
}
