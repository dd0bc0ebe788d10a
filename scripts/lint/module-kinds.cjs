// Which modules Next.js puts in the browser ("use client") and which are server actions
// ("use server"), read from their directive, for the import rules in .dependency-cruiser*.cjs.
const { readdirSync, readFileSync } = require("node:fs");
const path = require("node:path");

const ROOTS = ["app", "components", "lib"];
const SOURCE = /\.(ts|tsx)$/;
// A directive is the first statement: only comments and blank lines may come before it.
const DIRECTIVE = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*["']use (client|server)["']/;

function modulesWithDirective(kind) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (SOURCE.test(entry.name) && DIRECTIVE.exec(readFileSync(file, "utf8"))?.[1] === kind)
        found.push(file);
    }
  };
  for (const root of ROOTS) walk(root);
  return found.sort();
}

/** An anchored regular expression source matching exactly these files. */
function exactly(files) {
  if (files.length === 0) return "^$.";
  return `^(${files.map((file) => file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`;
}

module.exports = { modulesWithDirective, exactly };
