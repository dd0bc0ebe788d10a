import { createServer } from "node:net";
import path from "node:path";
import { defineConfig } from "vitest/config";

// The embedded engine's port in tests that run it for the app's own Inngest client
// (tests/webhooks/engine.test.ts): a free one per run, so that two runs can share a machine.
const enginePort = await freeLoopbackPort();

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
      INNGEST_ENGINE_PORT: String(enginePort),
    },
  },
});

async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (!address || typeof address === "string") throw new Error("No loopback port");
  return address.port;
}
