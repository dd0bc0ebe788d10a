import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, inject } from "vitest";
import { adoptPglite, closeDatabase, migrateDatabase } from "@/lib/db";

beforeAll(async () => {
  const template = inject("pgliteTemplate");
  // A copy of the database the global setup migrated (PGlite), or the shared PostgreSQL.
  if (template) adoptPglite(new PGlite({ loadDataDir: new Blob([readFileSync(template)]) }));
  await migrateDatabase();
});

afterAll(async () => {
  await closeDatabase();
});
