import type { NextConfig } from "next";
import { env } from "./lib/env";

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files from its own package folder at run time; bundling it
  // would break those relative paths, so it stays a plain Node dependency.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  // Read when the server starts (GATEHOUSE_COMPRESS), not when it is built.
  compress: env.compressResponses,
  // `npm test` runs `tsc --noEmit` over the whole project before it builds; checking again
  // inside every build (and rewriting tsconfig for each build folder) only costs time.
  typescript: { ignoreBuildErrors: true },
  // Lets a second build or dev server (tests, benchmarks) run beside the usual `.next`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

export default nextConfig;
