#!/usr/bin/env node
// `npm run dev`: Gatehouse with nothing else running — embedded PGlite under .data/, demo data
// loaded on first start, sign-in details printed by the server once it is up.
import { spawn } from "node:child_process";

const port = process.env.PORT ?? "3000";
const child = spawn("npx", ["next", "dev", "-p", port], {
  stdio: "inherit",
  env: {
    ...process.env,
    PORT: port,
    GATEHOUSE_DEMO_DATA: process.env.GATEHOUSE_DEMO_DATA ?? "true",
    // next-auth must trust the Host header when Gatehouse is its own identity provider locally.
    AUTH_TRUST_HOST: process.env.AUTH_TRUST_HOST ?? "true",
  },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
