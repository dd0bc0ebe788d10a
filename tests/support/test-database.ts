import type { Database } from "@/db/client";
import { connection } from "@/lib/db";

/**
 * This test file's database, for code that takes its database as an argument, such as the
 * embedded Inngest engine (whose tests import nothing from lib/). Call it inside a test or
 * hook: tests/support/database.ts opens the database before the first one runs.
 */
export function testDatabase(): Database {
  return connection().db;
}
