import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { E2E_ADMIN, E2E_API_KEY, E2E_BASE_URL, E2E_PORT } from "./e2e/support/constants";

// Debian's Chromium where it exists (CI, this workplace); Playwright's own browser elsewhere.
const debianChromium = "/usr/bin/chromium";
const launchOptions = existsSync(debianChromium)
  ? {
      executablePath: debianChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    }
  : {};

const dataDir = `.data/e2e-${process.pid}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: ".data/reports/playwright.json" }]],
  use: {
    baseURL: E2E_BASE_URL,
    launchOptions,
    trace: "retain-on-failure",
  },
  webServer: {
    command: `rm -rf ${dataDir} && npx next start -p ${E2E_PORT}`,
    url: `${E2E_BASE_URL}/.well-known/openid-configuration`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(E2E_PORT),
      GATEHOUSE_URL: E2E_BASE_URL,
      GATEHOUSE_DATA_DIR: dataDir,
      GATEHOUSE_BOOTSTRAP_API_KEY: E2E_API_KEY,
      // Production mode with DATABASE_URL (CI) requires a configured secret, as in a deployment.
      AUTH_SECRET: "e2e-auth-secret-for-tests-only-not-for-production",
      // Set explicitly: the embedded defaults do not apply when DATABASE_URL is set (CI).
      GATEHOUSE_ADMIN_EMAIL: E2E_ADMIN.email,
      GATEHOUSE_ADMIN_PASSWORD: E2E_ADMIN.password,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
      // Retries within seconds, so a spec can watch a delivery go Retrying → Success or Failed
      // (e2e/dashboard-webhooks.spec.ts); no other spec relies on the production default.
      WEBHOOK_RETRY_DELAYS: "2s,2s,2s",
      AUTH_TRUST_HOST: "true",
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-test",
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
  },
});
