import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { PREPARED_MAX_PARAMETERS } from "@/db/client";
import { organizations } from "@/db/schema";
import { adoptPglite, closeDatabase, connection, db, preparedStatement, rowsOf } from "@/lib/db";
import { insertOrganization } from "@/lib/organizations";

describe("preparedStatement", () => {
  let builds = 0;
  const nameOf = preparedStatement("test_organization_name", (db) => {
    builds++;
    return db
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, sql.placeholder("id")));
  });

  it("builds the statement once per connection and runs it with each call's values", async () => {
    const [ada, grace] = [
      await insertOrganization(db, { name: "Prepared Ada" }),
      await insertOrganization(db, { name: "Prepared Grace" }),
    ];
    expect(await nameOf().execute({ id: ada.id })).toEqual([{ name: "Prepared Ada" }]);
    expect(await nameOf().execute({ id: grace.id })).toEqual([{ name: "Prepared Grace" }]);
    expect(await nameOf().execute({ id: "org_missing" })).toEqual([]);
    expect(builds).toBe(1);
  });

  it("builds it again for a new connection rather than using the closed one's", async () => {
    const before = connection();
    await closeDatabase();
    // A fresh copy of the migrated template (PGlite), or a new pool to the same PostgreSQL.
    const template = inject("pgliteTemplate");
    if (template) adoptPglite(new PGlite({ loadDataDir: new Blob([readFileSync(template)]) }));
    expect(connection()).not.toBe(before);
    const organization = await insertOrganization(db, { name: "Prepared Linus" });
    expect(await nameOf().execute({ id: organization.id })).toEqual([{ name: "Prepared Linus" }]);
    expect(builds).toBe(2);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("statements run through drizzle on PostgreSQL", () => {
  it("are prepared when they have few parameters, and stay unnamed past the limit", async () => {
    const ids = Array.from({ length: PREPARED_MAX_PARAMETERS + 1 }, (_, n) => `org_none_${n}`);
    // One transaction, so every statement runs on the connection whose statements are listed.
    const { few, many, prepared } = await db.transaction(async (tx) => {
      const fewQuery = tx
        .select({ id: organizations.id })
        .from(organizations)
        .where(eq(organizations.slug, "prepared-statement-check"));
      const manyQuery = tx
        .select({ id: organizations.id })
        .from(organizations)
        .where(inArray(organizations.id, ids));
      expect(await fewQuery).toEqual([]);
      expect(await manyQuery).toEqual([]);
      const listed = rowsOf<{ statement: string }>(
        await tx.execute(sql`select statement from pg_prepared_statements`),
      );
      return {
        few: fewQuery.toSQL().sql,
        many: manyQuery.toSQL().sql,
        prepared: listed.map((row) => row.statement),
      };
    });
    expect(prepared).toContain(few);
    expect(prepared).not.toContain(many);
  });
});
