import { afterAll, beforeAll } from "vitest";
import { closeDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";

beforeAll(async () => {
  await migrateDatabase();
});

afterAll(async () => {
  await closeDatabase();
});
