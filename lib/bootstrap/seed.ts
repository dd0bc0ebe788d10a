import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db";
import { demoDataLines, row } from "./banner";
import { bulkGenerateAuthLogs } from "./demo-auth-logs";
import { type DemoDataReport, ensureDemoPopulation, loadDemoData } from "./demo-data";
import { BOOTSTRAP_LOCK } from "./lock";

/**
 * `npm run db:seed [-- --auth-logs N]`: the demo data, then optionally N more generated auth
 * logs (with their events) for load and dashboard testing.
 */
export type SeedOptions = {
  authLogs: number;
  /** Where the generated month ends; tests move it to keep their rows apart. */
  now?: Date;
};

export type SeedReport = {
  demo: DemoDataReport;
  generated: { authLogs: number; events: number; people: number; seconds: number } | null;
};

// Past this many attempts a month, the demo's five people would each sign in hundreds of times
// a day; one extra member per 200 attempts (at most 5,000) keeps the history believable.
const ATTEMPTS_PER_PERSON = 200;
const MAX_POPULATION = 5_000;

export function parseSeedArgs(argv: string[]): SeedOptions {
  let authLogs = 0;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    const [flag, inline] = argument.split("=", 2);
    if (flag !== "--auth-logs") throw new Error(`Unknown argument ${argument}; use --auth-logs N`);
    const value = inline ?? argv[++index];
    if (!value || !/^\d+$/.test(value) || Number(value) > 100_000_000) {
      throw new Error("--auth-logs needs a whole number of auth logs to generate, e.g. 1000000");
    }
    authLogs = Number(value);
  }
  return { authLogs };
}

export async function seed(
  options: SeedOptions,
  log: (line: string) => void = console.log,
): Promise<SeedReport> {
  // The same lock as the start-up bootstrap: a server starting meanwhile waits for the demo data.
  const demo = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
    return loadDemoData(tx);
  });
  if (options.authLogs <= 0) return { demo, generated: null };

  const started = performance.now();
  const people = await ensureDemoPopulation(
    db,
    Math.min(MAX_POPULATION, Math.ceil(options.authLogs / ATTEMPTS_PER_PERSON)),
  );
  const written = await bulkGenerateAuthLogs({
    count: options.authLogs,
    now: options.now,
    openCount: Math.min(10, Math.floor(options.authLogs / 100)),
    onProgress: (done) => {
      if (options.authLogs >= 100_000) log(`  … ${done.toLocaleString("en")} auth logs`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  return { demo, generated: { ...written, people, seconds } };
}

export function formatSeedReport(report: SeedReport): string {
  const { demo, generated } = report;
  const created = demo.created;
  const lines = [
    `Demo data: ${created.organizations} organizations, ${created.users} users, ${created.clients} clients, ${created.authLogs} auth logs created (the rest already existed).`,
    row("Organizations", demo.organizations.map((o) => `${o.name} (${o.domain})`).join(", ")),
    ...demoDataLines(demo),
  ];
  if (generated) {
    lines.push(
      "",
      `Generated ${generated.authLogs.toLocaleString("en")} auth logs with ${generated.events.toLocaleString("en")} events in ${generated.seconds.toFixed(1)} s` +
        (generated.people > 0
          ? ` (and ${generated.people.toLocaleString("en")} more demo members).`
          : "."),
    );
  }
  return lines.join("\n");
}
