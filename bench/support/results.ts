import { existsSync, readFileSync, writeFileSync } from "node:fs";

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
