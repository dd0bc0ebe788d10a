#!/usr/bin/env node
// `npm test`: the whole suite, in the order that fails fastest: lint, types, unit and
// integration (vitest), then a production build driven end to end by Playwright.
// Uses DATABASE_URL when set (CI points it at PostgreSQL), else embedded PGlite throughout.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";

const reports = {
  vitest: ".data/reports/vitest.json",
  playwright: ".data/reports/playwright.json",
};
const buildDir = ".next-test";
const onlyFast = process.argv.includes("--no-e2e");

const steps = [
  ["Lint (Biome, import rules)", "npm", ["run", "--silent", "lint"]],
  ["Typecheck", "npx", ["tsc", "--noEmit"]],
  [
    "Unit and integration tests (vitest)",
    "npx",
    [
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${reports.vitest}`,
    ],
  ],
];
if (!onlyFast) {
  steps.push([
    "Production build for end-to-end tests",
    "npx",
    ["next", "build"],
    { NEXT_DIST_DIR: buildDir },
  ]);
  steps.push([
    "End-to-end tests (Playwright)",
    "npx",
    ["playwright", "test"],
    { NEXT_DIST_DIR: buildDir },
  ]);
}

for (const report of Object.values(reports)) rmSync(report, { force: true });
console.log(
  `Database: ${process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite"}`,
);

let failedStep;
for (const [title, command, args, extraEnv = {}] of steps) {
  console.log(`\n=== ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...process.env, ...extraEnv },
  });
  console.log(
    `--- ${title}: ${result.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  if (result.status !== 0) {
    failedStep = title;
    break;
  }
}

const { passed, failed, skipped } = countResults();
console.log(`\n${failedStep ? `Stopped at: ${failedStep}` : "All steps passed"}`);
// The plain closing line CI reads: totals over vitest and Playwright.
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failedStep ? 1 : 0);

function countResults() {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const vitest = readJson(reports.vitest);
  if (vitest) {
    totals.passed += vitest.numPassedTests ?? 0;
    totals.failed += vitest.numFailedTests ?? 0;
    totals.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  }
  const playwright = readJson(reports.playwright);
  if (playwright?.stats) {
    totals.passed += (playwright.stats.expected ?? 0) + (playwright.stats.flaky ?? 0);
    totals.failed += playwright.stats.unexpected ?? 0;
    totals.skipped += playwright.stats.skipped ?? 0;
  }
  return totals;
}

function readJson(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}
