import { formatSeedReport, parseSeedArgs, type SeedOptions, seed } from "@/lib/bootstrap/seed";
import { closeDatabase, migrateDatabase } from "@/lib/db";
import { env } from "@/lib/env";

// Runs with `tsx --conditions=react-server` so `server-only` imports resolve outside Next.js.
let options: SeedOptions;
try {
  options = parseSeedArgs(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

try {
  console.log(`Seeding ${env.databaseUrl ? "PostgreSQL" : `PGlite at ${env.embeddedDb}`}`);
  await migrateDatabase();
  console.log(formatSeedReport(await seed(options)));
} catch (error) {
  console.error("Seeding failed:", error);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
