/**
 * What the dashboard benchmarks share: a `next start` of the benchmark build against the
 * benchmark database, a session cookie for the bootstrap operator admin, and timing one page
 * request the way a browser makes it.
 */
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { dashboardAccessOf } from "@/lib/dashboard/scope";
import { db, rowsOf } from "@/lib/db";
import type { Scope } from "@/lib/organizations/scope";
import { percentile } from "./results";

// The server and the benchmark must share the secret: the benchmark mints the session cookie.
const AUTH_SECRET = process.env.AUTH_SECRET ?? "bench-only-secret-0123456789-abcdefghijklmnop";
const SESSION_COOKIE = "authjs.session-token";

export type Stats = { p50: number; p95: number };

export type DashboardServer = {
  stop: () => void;
  /**
   * CPU time (user + system) used so far by the server's processes (npx, next start and the
   * server it runs), in ms; null where /proc cannot tell (not Linux).
   */
  cpuMs: () => number | null;
};

/** `next start` of NEXT_DIST_DIR on `port`, answering once discovery does. */
export async function startDashboardServer(port: number): Promise<DashboardServer> {
  const base = `http://localhost:${port}`;
  const distDir = process.env.NEXT_DIST_DIR ?? ".next";
  console.log(`Starting next start on ${port} (build folder ${distDir}) …`);
  const child = spawn("npx", ["next", "start", "-p", String(port)], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: distDir,
      PORT: String(port),
      GATEHOUSE_URL: base,
      AUTH_SECRET,
      AUTH_TRUST_HOST: "true",
      GATEHOUSE_ADMIN_EMAIL: process.env.GATEHOUSE_ADMIN_EMAIL ?? "admin@gatehouse.local",
      GATEHOUSE_ADMIN_PASSWORD: process.env.GATEHOUSE_ADMIN_PASSWORD ?? "bench-admin-password",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const stop = () => {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
  };
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      const response = await fetch(`${base}/.well-known/openid-configuration`);
      if (response.ok) return { stop, cpuMs: () => processGroupCpuMs(child.pid) };
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  stop();
  throw new Error(`next start did not come up:\n${output.slice(-2000)}`);
}

/** CPU time of every live process in the group `leader` leads (the server is spawned detached). */
function processGroupCpuMs(leader: number | undefined): number | null {
  if (!leader) return null;
  let ticks = 0;
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      } catch {
        continue; // Exited meanwhile.
      }
      // Fields after the command name (which may contain spaces), from the 3rd (state) on.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== leader) continue; // pgrp
      ticks += Number(fields[11]) + Number(fields[12]); // utime + stime
    }
  } catch {
    return null;
  }
  return (ticks / clockTicksPerSecond()) * 1000;
}

let clockTicks: number | undefined;
function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** The first operator admin (the server's bootstrap makes one), with a dashboard session cookie. */
export async function benchOperator(): Promise<{ userId: string; cookie: string }> {
  const [admin] = rowsOf<{ id: string; email: string; name: string | null }>(
    await db.execute(sql`select u.id, u.email, u.name from users u
      join memberships m on m.user_id = u.id and m.role = 'admin'
      join organizations o on o.id = m.organization_id and o.is_operator
      order by u.created_at limit 1`),
  );
  if (!admin) throw new Error("No operator admin: did the server's bootstrap run?");
  const token = await encode({
    token: { sub: admin.id, email: admin.email, name: admin.name },
    secret: AUTH_SECRET,
    salt: SESSION_COOKIE,
    maxAge: 3600,
  });
  return { userId: admin.id, cookie: `${SESSION_COOKIE}=${token}` };
}

/**
 * The viewer's scope, looked up as every dashboard page does before its own queries
 * (dashboardAccessOf). It is SQL the page runs, on its critical path, so the benchmarks count it
 * among the page's queries.
 */
export async function lookUpViewerScope(userId: string): Promise<Scope> {
  const access = await dashboardAccessOf(userId);
  if (!access) throw new Error("The benchmark's operator is not an admin");
  return access.scope;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/**
 * Milliseconds from sending GET `url` to the last byte of a 200 response, asking for gzip as a
 * browser does. The body is counted, not decompressed or parsed: what is timed is the server's
 * work and the loopback, not this client's.
 */
export function timePageRequest(url: string, cookie: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      { agent, headers: { cookie, "accept-encoding": "gzip", accept: "text/html" } },
      (response) => {
        response.on("data", () => {});
        response.on("error", reject);
        response.on("end", () => {
          if (response.statusCode !== 200)
            reject(new Error(`${url} answered ${response.statusCode}`));
          else resolve(performance.now() - started);
        });
      },
    );
    request.on("error", reject);
  });
}

/** p50 and p95 (nearest rank) of `times`. */
export function summarize(times: number[]): Stats {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
}

export function fmt(ms: number): string {
  return `${ms.toFixed(1).padStart(6)} ms`;
}

/**
 * VACUUM ANALYZE of freshly generated tables, repeated until their visibility maps cover (almost)
 * every page, as they do on a table autovacuum keeps up with. A vacuum that runs while another
 * session holds an old snapshot (autovacuum's own ANALYZE of the rows just inserted, say) marks
 * nothing all-visible, and then every index-only scan the pages rely on fetches its rows from the
 * heap instead: the queries measured would be those of a table nobody has vacuumed yet.
 */
export async function vacuumAnalyze(tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    for (let round = 1; ; round++) {
      await db.execute(sql.raw(`vacuum analyze ${table}`));
      const [map] = rowsOf<{ pages: number; visible: number }>(
        await db.execute(
          sql`select relpages as pages, relallvisible as visible from pg_class where oid = ${table}::regclass`,
        ),
      );
      const coverage = map && map.pages > 0 ? map.visible / map.pages : 1;
      if (coverage >= 0.99) break;
      if (round === 10) {
        console.log(
          `(${table}: ${(coverage * 100).toFixed(0)} % all-visible after ${round} vacuums; measuring anyway)`,
        );
        break;
      }
      // Whatever holds the old snapshot is usually done within seconds.
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}

/**
 * Flushes what VACUUM ANALYZE dirtied, so the first combination measured does not share the
 * disk with a checkpoint. Needs a superuser; elsewhere the benchmark goes on without it.
 */
export async function settleDatabase(): Promise<void> {
  try {
    await db.execute(sql`checkpoint`);
  } catch {
    console.log("(CHECKPOINT not allowed for this role; measuring anyway)");
  }
}

/** What every page costs before its own data, measured like the pages (see measureFloors). */
export type Floors = {
  /** `/signed-out`: a small page outside the dashboard, i.e. Next.js's own cost per page. */
  next: Stats;
  /** `/settings`: a dashboard page without queries: the above plus session, scope lookup, layout. */
  frame: Stats;
};

/**
 * The fixed costs under every dashboard page, interleaved so that both see the same machine:
 * Next.js rendering a small page, and the dashboard frame on top of it.
 */
export async function measureFloors(
  base: string,
  cookie: string,
  rounds: number,
  warmUp: number,
): Promise<Floors> {
  const urls = { next: `${base}/signed-out`, frame: `${base}/settings` };
  for (let round = 0; round < warmUp; round++) {
    await timePageRequest(urls.next, cookie);
    await timePageRequest(urls.frame, cookie);
  }
  const times = { next: [] as number[], frame: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    times.next.push(await timePageRequest(urls.next, cookie));
    times.frame.push(await timePageRequest(urls.frame, cookie));
  }
  return { next: summarize(times.next), frame: summarize(times.frame) };
}

/**
 * Requests every page to be measured `rounds` times before any is measured: the server's JIT
 * and caches then settle on the whole mix, so the first combination is not measured colder
 * than the last.
 */
export async function warmUpServer(urls: string[], cookie: string, rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const url of urls) await timePageRequest(url, cookie);
  }
}
