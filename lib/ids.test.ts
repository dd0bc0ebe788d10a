import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, rowsOf } from "@/lib/db";
import { newId, newIdSql } from "./ids";

const ID = /^dlv_[0-9a-hjkmnp-tv-z]{26}$/;

describe("ids", () => {
  it("newId: a prefix, ten characters of time, sixteen random ones", () => {
    const at = Date.UTC(2026, 10, 26, 8, 0, 0, 123);
    const [a, b] = [newId("dlv", at), newId("dlv", at)];
    expect(a).toMatch(ID);
    expect(a.slice(0, 14)).toBe(b.slice(0, 14));
    expect(a).not.toBe(b);
    expect(newId("dlv", at + 1) > a.slice(0, 14)).toBe(true);
  });

  it("newIdSql makes the same kind of id in the database, a fresh one per row", async () => {
    const at = Date.UTC(2026, 10, 26, 8, 0, 0, 123);
    const rows = rowsOf<{ id: string }>(
      await db.execute(
        sql`select ${newIdSql("dlv", sql`${new Date(at).toISOString()}::timestamptz`)} as id from generate_series(1, 50)`,
      ),
    );
    expect(rows).toHaveLength(50);
    for (const { id } of rows) {
      expect(id).toMatch(ID);
      // The same time part as newId's for that instant, so both sort together.
      expect(id.slice(0, 14)).toBe(newId("dlv", at).slice(0, 14));
    }
    expect(new Set(rows.map((row) => row.id)).size).toBe(50);
  });
});
