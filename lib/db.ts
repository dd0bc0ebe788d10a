import type { PGlite } from "@electric-sql/pglite";
import {
  type Connection,
  closeConnection,
  type Database,
  openConnection,
  pgliteConnection,
} from "@/db/client";
import { applyMigrations } from "@/db/migrate";
import { env } from "@/lib/env";

/**
 * This process's database, configured from lib/env: the one place the app opens it. Data
 * functions import `db` (and the `Executor` type) from here; `db/` itself knows no settings.
 */
export type { Database, Executor, Transaction } from "@/db/client";
export { rowsOf } from "@/db/client";

// One connection per process, kept on globalThis so Next's dev reloads do not open another:
// PGlite in particular must have exactly one owner of its data folder, and no pool.
const holder = globalThis as unknown as { __gatehouseDb?: Connection };

/** The connection, opened on first use: postgres.js for DATABASE_URL, else embedded PGlite. */
export function connection(): Connection {
  holder.__gatehouseDb ??= openConnection({
    url: env.databaseUrl,
    poolSize: env.databasePoolSize,
    embeddedDb: env.embeddedDb,
  });
  return holder.__gatehouseDb;
}

/** The database. Both drivers queue queries until connected, so this is usable at once. */
export const db: Database = new Proxy({} as Database, {
  get(_target, property) {
    const target = connection().db;
    const value = Reflect.get(target, property);
    return typeof value === "function" ? value.bind(target) : value;
  },
});

/** Applies the committed migrations to this process's database. */
export async function migrateDatabase(): Promise<void> {
  await applyMigrations(connection());
}

/**
 * Makes `pglite` this process's database instead of opening one: for tests, which start each
 * file from a copy of one database migrated once (see tests/support/pglite-template.ts).
 */
export function adoptPglite(pglite: PGlite): void {
  if (holder.__gatehouseDb) throw new Error("A database connection is already open");
  holder.__gatehouseDb = pgliteConnection(pglite);
}

export async function closeDatabase(): Promise<void> {
  const open = holder.__gatehouseDb;
  if (!open) return;
  holder.__gatehouseDb = undefined;
  await closeConnection(open);
}

/**
 * A statement built once per connection and then run with new values (`sql.placeholder`s). For
 * hot paths only: drizzle's builder costs more CPU than a small statement's round trip, which a
 * webhook delivery would pay several times. Runs on the database, never inside a transaction.
 */
export function preparedStatement<Prepared>(
  name: string,
  build: (db: Database) => { prepare(name: string): Prepared },
): () => Prepared {
  // Per connection: tests and restarts open new ones, and a statement belongs to its own.
  const built = new WeakMap<Connection, Prepared>();
  return () => {
    const current = connection();
    let prepared = built.get(current);
    if (!prepared) {
      prepared = build(current.db).prepare(name);
      built.set(current, prepared);
    }
    return prepared;
  };
}
