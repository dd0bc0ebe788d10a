// What may reach the browser, checked by `npm run lint`: nothing a client module imports, however
// indirectly, may be database code, a server-only module, settings, or the server's libraries.
// Only code that is compiled in counts (type-only imports are erased), and a server action
// module is where the client graph ends: the browser gets a reference to it, not its imports.
const { builtinModules } = require("node:module");
const { exactly, modulesWithDirective } = require("./scripts/lint/module-kinds.cjs");
const layers = require("./.dependency-cruiser.cjs");

const clientModules = modulesWithDirective("client");
const serverActions = modulesWithDirective("server");

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "client-code-stays-off-the-server",
      comment:
        "Client modules and shared components never reach db/, lib/db.ts, lib/env.ts, a " +
        "`server-only` module, Node built-ins, or drizzle, zod, postgres, PGlite, next-auth.",
      severity: "error",
      from: { path: [exactly(clientModules), "^components/"] },
      to: {
        reachable: true,
        path: [
          "^db/",
          "^lib/(db|env)\\.ts$",
          "node_modules/(server-only|drizzle-orm|zod|postgres|@electric-sql|next-auth|nodemailer|jose)/",
        ],
      },
    },
    {
      name: "client-code-uses-no-node-built-ins",
      severity: "error",
      from: { path: [exactly(clientModules), "^components/"] },
      to: { reachable: true, path: `^(node:)?(${builtinModules.join("|")})$` },
    },
  ],
  options: {
    ...layers.options,
    doNotFollow: { path: ["node_modules", exactly(serverActions)] },
    exclude: { path: `${layers.options.exclude.path}|\\.test\\.tsx?$` },
    tsPreCompilationDeps: false,
  },
};
