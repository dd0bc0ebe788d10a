import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Server-only modules are exactly what these tests exercise, outside React's server graph.
      "server-only": path.resolve(import.meta.dirname, "tests/support/server-only.ts"),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", ".data/**"],
    environment: "node",
    globalSetup: ["tests/support/pglite-template.ts"],
    setupFiles: ["tests/support/database.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: "test",
      // Without DATABASE_URL every test file gets its own throw-away PGlite.
      GATEHOUSE_EMBEDDED_DB: "memory://",
      GATEHOUSE_DATA_DIR: ".data/test",
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
      GATEHOUSE_URL: "http://localhost:3000",
    },
  },
});
