// The architecture's import rules (README, "Architecture"), checked by `npm run lint`. Data flows
// one way: route / action / page → lib → db. Type-only imports count too: a layer that names
// another's types depends on it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "constants-import-nothing",
      comment: "constants/ holds plain values that the browser, lib/ and db/ all import.",
      severity: "error",
      from: { path: "^constants/" },
      to: {},
    },
    {
      name: "db-imports-no-app-code",
      comment: "db/ holds tables, migrations and the connection factory; settings are passed in.",
      severity: "error",
      from: { path: "^db/" },
      to: { path: "^(lib|app|components|inngest|e2e|tests|bench)/" },
    },
    {
      name: "lib-imports-no-ui",
      comment: "lib/ holds the rules; pages, routes and components call it, never the reverse.",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "lib-imports-no-job-functions-or-engine",
      comment:
        "inngest/functions call into lib, never the reverse; only the process start-up (the " +
        "composition root) knows about the embedded engine.",
      severity: "error",
      from: { path: "^lib/", pathNot: "^lib/server/start\\.ts$" },
      to: { path: "^inngest/(functions|engine)/" },
    },
    {
      name: "engine-is-self-contained",
      comment: "inngest/engine is a stand-in Inngest server: it knows the protocol, not the app.",
      severity: "error",
      from: { path: "^inngest/engine/" },
      to: { path: "^(lib|app|components|inngest/(functions|client|events))" },
    },
    {
      name: "components-import-no-features",
      comment:
        "Shared components serve every feature; a feature's own UI lives in its app/ folder.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    // One feature's app/ folder never imports another's: what two features share moves to
    // components/ or lib/. A feature is a folder of app/ or of one of its route groups.
    ...["(dashboard)", "(auth)"].map((group) => {
      const folder = `^app/${group.replace(/[()]/g, "\\$&")}/`;
      return {
        name: "features-are-independent",
        severity: "error",
        from: { path: `${folder}([^/]+)/` },
        to: { path: "^app/", pathNot: `${folder}$1/` },
      };
    }),
    {
      name: "features-are-independent",
      severity: "error",
      from: { path: "^app/([^/(]+)/" },
      to: { path: "^app/", pathNot: "^app/$1/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(\\.next[^/]*|\\.data)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
