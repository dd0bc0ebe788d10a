import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** A dump of a migrated PGlite database, or null when tests use PostgreSQL. */
    pgliteTemplate: string | null;
  }
}

/**
 * Global setup: without DATABASE_URL every test file gets its own in-memory PGlite, and
 * creating and migrating one takes seconds. Doing it once here and giving each file a copy
 * (tests/support/database.ts) takes a fraction of that.
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide("pgliteTemplate", null);
    return;
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { adoptPglite, closeDatabase, connection } = await import("@/lib/db");
  const { migrateDatabase } = await import("@/lib/db");
  adoptPglite(new PGlite("memory://"));
  await migrateDatabase();
  const open = connection();
  if (open.kind !== "pglite") throw new Error("Expected the embedded database");
  const dump = await open.pglite.dumpDataDir("none");
  const file = path.resolve(".data/test/pglite-template.tar");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await closeDatabase();
  project.provide("pgliteTemplate", file);
}
