import { type AnyColumn, and, type InferSelectModel, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Executor } from "@/lib/db";
import { ValidationError } from "@/lib/errors";
import { isStorableInstant } from "@/lib/time";
import { textWithoutNul } from "@/lib/validation";

/**
 * Keyset pagination, newest first, over (created_at, id) — shared by the management API and the
 * dashboard so both hand out the same opaque cursors. Keyset rather than OFFSET: rows that arrive
 * while someone pages never shift later pages, so there are no duplicates or gaps, and page 500
 * costs what page 1 costs.
 */
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export type PageRequest = { limit: number; cursor?: string | null };
export type Page<T> = { data: T[]; nextCursor: string | null };

/** `limit` and `cursor` as they arrive in a query string. */
export const pageQueryShape = {
  limit: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE),
  // `?cursor=` (a client writing out an absent next_cursor) asks for the first page.
  cursor: z
    .string()
    .max(512, "is not a cursor returned by this API")
    .optional()
    .transform((cursor) => cursor || undefined),
};

/**
 * A list endpoint's query when it has no filters of its own. Strict, like every list's: a
 * filter the list does not have is refused, not ignored (which would answer with everything).
 */
export const pageQuerySchema = z.strictObject(pageQueryShape);

/** Where the previous page ended. `createdAt` keeps PostgreSQL's microseconds, see below. */
type KeysetPosition = { createdAt: string; id: string };

/**
 * The row's created_at as text with microseconds. A JavaScript Date keeps milliseconds only;
 * a cursor built from one would skip (or repeat) rows created within the same millisecond.
 */
export function keysetTime(createdAt: AnyColumn): SQL<string> {
  return sql<string>`to_char(${createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Rows strictly after the cursor position in newest-first order. */
export function afterCursor(
  createdAt: AnyColumn,
  id: AnyColumn,
  cursor: string | null | undefined,
): SQL | undefined {
  if (!cursor) return undefined;
  const position = decodeCursor(cursor);
  // A row comparison, so PostgreSQL walks the (created_at desc, id desc) index from this point.
  return sql`(${createdAt}, ${id}) < (${position.createdAt}::timestamptz, ${position.id})`;
}

/** ORDER BY matching the `(created_at desc, id desc)` indexes, which drizzle-kit writes NULLS LAST. */
export function newestFirst(createdAt: AnyColumn, id: AnyColumn): SQL[] {
  return [sql`${createdAt} desc nulls last`, sql`${id} desc nulls last`];
}

/**
 * Turns `limit + 1` rows (each carrying `keysetTime` as `cursorTime`) into a page: the extra row
 * only says whether another page exists, so a next_cursor never leads to an empty page.
 */
export function toPage<Row extends { id: string; cursorTime: string }, T>(
  rows: Row[],
  limit: number,
  present: (row: Row) => T,
): Page<T> {
  const visible = rows.slice(0, limit);
  const last = visible.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeCursor({ createdAt: last.cursorTime, id: last.id }) : null;
  return { data: visible.map(present), nextCursor };
}

/**
 * `list` at `request`, or its first page when the cursor is not one this API handed out (a URL
 * edited by hand, say): dashboards show the newest rows and say so, rather than fail.
 */
export async function pageOrFirstPage<T>(
  list: (request: PageRequest) => Promise<Page<T>>,
  request: PageRequest,
): Promise<{ page: Page<T>; cursorIgnored: boolean }> {
  try {
    return { page: await list(request), cursorIgnored: false };
  } catch (error) {
    if (!(error instanceof ValidationError) || !request.cursor) throw error;
    return { page: await list({ ...request, cursor: null }), cursorIgnored: true };
  }
}

/** A table that pages newest first: it has the (created_at, id) keyset. */
type KeysetTable = PgTable & { createdAt: AnyPgColumn; id: AnyPgColumn };

/**
 * One page of a table's rows matching `where`, newest first: the query every keyset list runs
 * (the cursor condition, the index order, one row more than the page to know if another follows).
 */
export async function newestFirstPage<Table extends KeysetTable>(
  executor: Executor,
  table: Table,
  where: SQL | undefined,
  page: PageRequest,
): Promise<Page<InferSelectModel<Table>>> {
  const rows = (await executor
    .select({ row: table as PgTable, id: table.id, cursorTime: keysetTime(table.createdAt) })
    .from(table as PgTable)
    .where(and(where, afterCursor(table.createdAt, table.id, page.cursor)))
    .orderBy(...newestFirst(table.createdAt, table.id))
    .limit(page.limit + 1)) as Array<{
    row: InferSelectModel<Table>;
    id: string;
    cursorTime: string;
  }>;
  return toPage(rows, page.limit, (result) => result.row);
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ t: position.createdAt, i: position.id })).toString(
    "base64url",
  );
}

// A cursor comes back from the client, so it is checked like any input: a hand-made one could
// otherwise carry a time or an id that the database refuses to compare.
const cursorSchema = z.object({
  t: z.iso
    .datetime({ offset: true, precision: 6 })
    .refine((text) => isStorableInstant(new Date(text))),
  i: textWithoutNul().min(1).max(200),
});

function decodeCursor(cursor: string): KeysetPosition {
  try {
    const parsed = cursorSchema.safeParse(
      JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")),
    );
    if (parsed.success) return { createdAt: parsed.data.t, id: parsed.data.i };
  } catch {
    // Not base64url JSON: reported below like any other foreign cursor.
  }
  throw new ValidationError({ cursor: "is not a cursor returned by this API" });
}
