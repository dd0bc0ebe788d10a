import { closeDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { env } from "@/lib/env";

await migrateDatabase();
console.log(
  `Migrations applied to ${env.databaseUrl ? "PostgreSQL" : `PGlite at ${env.embeddedDb}`}`,
);
await closeDatabase();
