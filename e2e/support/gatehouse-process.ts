import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { E2E_ADMIN, E2E_API_KEY } from "./constants";

/**
 * A Gatehouse server of a test's own (`next start` on the already-built NEXT_DIST_DIR), which
 * the test may kill and start again on the same data: an embedded PGlite folder, or — when
 * DATABASE_URL is set, as in CI — a PostgreSQL database of its own beside the main e2e
 * server's, so the embedded Inngest engines of the two never share runs or a lease.
 */
export type GatehouseData = {
  dataDir: string;
  /** The database of this server; undefined for embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  remove(): Promise<void>;
};

export async function createGatehouseData(name: string): Promise<GatehouseData> {
  const dataDir = path.resolve(`.data/${name}-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const mainUrl = process.env.DATABASE_URL;
  if (!mainUrl) {
    return {
      dataDir,
      databaseUrl: undefined,
      async remove() {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const url = new URL(mainUrl);
  const database = `${url.pathname.slice(1) || "gatehouse"}_${name}_${process.pid}`.replace(
    /[^a-z0-9_]/gi,
    "_",
  );
  url.pathname = `/${database}`;
  const admin = postgres(mainUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${database}" with (force)`);
    await admin.unsafe(`create database "${database}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return {
    dataDir,
    databaseUrl: url.toString(),
    async remove() {
      rmSync(dataDir, { recursive: true, force: true });
      const cleanup = postgres(mainUrl, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists "${database}" with (force)`);
      } finally {
        await cleanup.end({ timeout: 5 });
      }
    },
  };
}

export type GatehouseProcess = {
  baseUrl: string;
  pid: number;
  /** Date.now() when the server first answered HTTP. */
  readyAt: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGKILL to the whole process group (next start and anything it spawned); waits for exit. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it lingers. */
  stop(): Promise<void>;
};

export type StartOptions = {
  port: number;
  data: GatehouseData;
  /** Extra environment, e.g. WEBHOOK_RETRY_DELAYS. */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
};

export async function startGatehouse(options: StartOptions): Promise<GatehouseProcess> {
  const baseUrl = `http://localhost:${options.port}`;
  const nextBin = path.resolve("node_modules/next/dist/bin/next");
  const child = spawn(process.execPath, [nextBin, "start", "-p", String(options.port)], {
    // Its own process group, so a kill takes next start and every child it may have.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: serverEnv(baseUrl, options),
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("next start did not spawn");
  // A detached group outlives the test runner unless killed: never leave one behind.
  const killOnExit = () => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  process.once("exit", killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      process.off("exit", killOnExit);
      resolve();
    }),
  );

  const killGroup = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
    await exited;
  };

  let readyAt: number;
  try {
    readyAt = await waitUntilReady(baseUrl, child, () => output, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await killGroup("SIGKILL");
    throw error;
  }
  return {
    baseUrl,
    pid,
    readyAt,
    output: () => output,
    kill: () => killGroup("SIGKILL"),
    async stop() {
      const timer = setTimeout(() => void killGroup("SIGKILL"), 5_000);
      await killGroup("SIGTERM");
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------------------------

// Settings the server must not inherit from the test runner. Without an Inngest server setting
// it starts its embedded engine, which is what survives (or not) the kill, and without
// INNGEST_ENGINE_PORT that engine listens on its own PORT + 10000, apart from the main e2e
// server's.
const INHERITED_OUT = /^(INNGEST_|DATABASE_URL$|GATEHOUSE_|WEBHOOK_|PORT$|NODE_ENV$)/;

function serverEnv(baseUrl: string, options: StartOptions): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !INHERITED_OUT.test(name)),
  );
  return {
    ...inherited,
    NODE_ENV: "production",
    PORT: String(options.port),
    GATEHOUSE_URL: baseUrl,
    GATEHOUSE_DATA_DIR: options.data.dataDir,
    GATEHOUSE_BOOTSTRAP_API_KEY: E2E_API_KEY,
    AUTH_SECRET: "e2e-auth-secret-for-tests-only-not-for-production",
    GATEHOUSE_ADMIN_EMAIL: E2E_ADMIN.email,
    GATEHOUSE_ADMIN_PASSWORD: E2E_ADMIN.password,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    AUTH_TRUST_HOST: "true",
    NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-test",
    ...(options.data.databaseUrl ? { DATABASE_URL: options.data.databaseUrl } : {}),
    ...options.env,
  };
}

async function waitUntilReady(
  baseUrl: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`next start exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/.well-known/openid-configuration`);
      if (response.ok) return Date.now();
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`next start did not answer within ${timeoutMs} ms:\n${output()}`);
}
