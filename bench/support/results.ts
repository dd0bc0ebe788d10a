import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";

const RESULTS = new URL("../RESULTS.md", import.meta.url);
const HEADER = [
  "# Benchmarks",
  "",
  "Each section is written by the script it names (`bench/*.ts`); rerunning one replaces only",
  "its own section. The commands are at the top of each script.",
  "",
].join("\n");

/**
 * Puts `markdown` into bench/RESULTS.md as the section named `name`, replacing that section's
 * previous results and leaving the other benchmarks' sections as they were.
 */
export function writeResultsSection(name: string, markdown: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, "utf8") : "";
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${section}${current.slice(to + end.length)}`
      : `${current.startsWith("# Benchmarks") ? current.trimEnd() : HEADER.trimEnd()}\n\n${section}\n`;
  writeFileSync(RESULTS, next);
  console.log(`Wrote the "${name}" section of bench/RESULTS.md`);
}

/** A report's first line: when, on what machine, against which database. */
export function runLine(database: string): string {
  const cpus = os.cpus();
  return `Run ${new Date().toISOString()} on ${cpus.length} × ${cpus[0]?.model ?? "CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${database}.`;
}

/** Load averages as "1.0 2.1 1.5". */
export function formatLoad(load: number[]): string {
  return load.map((value) => value.toFixed(1)).join(" ");
}

/**
 * The `p` percentile of ascending `sorted` by nearest rank: the smallest value with at least
 * that fraction of the values at or below it (0 when there are none). Every benchmark uses this
 * one definition, so their p50 and p95 columns compare.
 */
export function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? 0;
}
