import path from "node:path";
import type { Connection } from "./client";

const migrationsFolder = path.join(process.cwd(), "db", "migrations");
// Any constant shared by every Gatehouse instance: serialises migrations when several start at once.
const MIGRATION_LOCK = 727_001;

/** Applies the committed SQL migrations; safe to call from every instance at every start. */
export async function applyMigrations(connection: Connection): Promise<void> {
  if (connection.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(connection.db as never, { migrationsFolder });
    return;
  }
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const reserved = await connection.sql.reserve();
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(connection.db as never, { migrationsFolder });
  } finally {
    await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    reserved.release();
  }
}
