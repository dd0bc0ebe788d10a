import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { NextConfig } from "next";
import { env } from "./lib/env";

// Lets a second build or dev server (tests, benchmarks) run beside the usual `.next`.
const distDir = process.env.NEXT_DIST_DIR || ".next";

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files from its own package folder at run time; bundling it
  // would break those relative paths, so it stays a plain Node dependency.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  // Read when the server starts (GATEHOUSE_COMPRESS), not when it is built.
  compress: env.compressResponses,
  // `npm test` runs `tsc --noEmit` over the whole project before it builds; checking again
  // inside every build only costs time.
  typescript: { ignoreBuildErrors: true, tsconfigPath: tsconfigFor(distDir) },
  distDir,
};

export default nextConfig;

/**
 * Next adds its build folder's type folders to the tsconfig it is given. The tracked
 * tsconfig.json lists `.next`'s; any other build folder gets an untracked tsconfig of its own
 * beside it (`tsconfig.next-test.json` for `.next-test`), extending the tracked one, so building
 * elsewhere never rewrites a tracked file. (Inside the build folder Turbopack cannot read it.)
 */
function tsconfigFor(folder: string): string {
  if (path.resolve(folder) === path.resolve(".next")) return "tsconfig.json";
  const name = path.basename(path.resolve(folder)).replace(/^\.+/, "");
  const file = `tsconfig.${name}.json`;
  if (!existsSync(file)) {
    writeFileSync(file, `${JSON.stringify({ extends: "./tsconfig.json" }, null, 2)}\n`);
  }
  return file;
}
