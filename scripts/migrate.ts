import { closeDatabase, migrateDatabase } from "@/lib/db";
import { env } from "@/lib/env";

await migrateDatabase();
console.log(
  `Migrations applied to ${env.databaseUrl ? "PostgreSQL" : `PGlite at ${env.embeddedDb}`}`,
);
await closeDatabase();
