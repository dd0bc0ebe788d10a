import type { DemoDataReport } from "./demo-data";
import type { BootstrapReport } from "./index";

/**
 * The start-up banner: where Gatehouse is and how to get in. It shows secrets only when they are
 * Gatehouse's own defaults (the embedded admin password, the demo passwords) or were handed to
 * it for exactly this purpose (the bootstrap API key, outside production). A password the
 * operator chose is never printed.
 */
export type BannerContext = {
  issuer: string;
  database: string;
  jobs?: string;
  production: boolean;
};

export function formatBanner(report: BootstrapReport, context: BannerContext): string {
  const lines = [
    `Gatehouse is ready`,
    row("Issuer", `${context.issuer} (${context.database})`),
    row("Dashboard", `${context.issuer}/auth-logs`),
    ...(context.jobs ? [row("Webhook jobs", context.jobs)] : []),
    ...adminLines(report.admin),
    ...apiKeyLines(report.apiKey, context.production),
    ...(report.demo ? demoDataLines(report.demo) : []),
  ];
  const rule = "=".repeat(72);
  return [rule, ...lines.map((line) => `  ${line}`), rule].join("\n");
}

function adminLines(admin: BootstrapReport["admin"]): string[] {
  if (!admin.configured) {
    return [row("Administrator", "none: set GATEHOUSE_ADMIN_EMAIL and GATEHOUSE_ADMIN_PASSWORD")];
  }
  const password = admin.defaultPassword
    ? `${admin.defaultPassword}  (embedded default: set GATEHOUSE_ADMIN_PASSWORD to choose one)`
    : !admin.hasPassword
      ? "none: sign in with an email code"
      : admin.created
        ? "the one in GATEHOUSE_ADMIN_PASSWORD (not shown)"
        : "not shown (GATEHOUSE_ADMIN_PASSWORD is only used when the user is created)";
  return [row("Administrator", admin.email), row("Password", password)];
}

function apiKeyLines(apiKey: BootstrapReport["apiKey"], production: boolean): string[] {
  if (!apiKey) return [];
  if (apiKey.revoked) {
    return [
      row(
        "API key",
        `${apiKey.prefix}… is REVOKED: GATEHOUSE_BOOTSTRAP_API_KEY names a revoked key; set a new one`,
      ),
    ];
  }
  const reach = apiKey.operatorWide ? "operator-wide" : "organization-scoped";
  if (apiKey.generated) {
    // Embedded mode is one person's machine: the generated key is only useful when shown.
    return [row("API key", `${apiKey.key}  (generated, kept in the data folder; ${reach})`)];
  }
  // Production logs are shipped and kept; there the key is only named, never written out.
  const shown = production ? `${apiKey.prefix}…` : apiKey.key;
  return [row("API key", `${shown}  (GATEHOUSE_BOOTSTRAP_API_KEY, ${reach})`)];
}

/** The demo people and applications with their credentials (banner and seed output). */
export function demoDataLines(demo: DemoDataReport): string[] {
  const width = Math.max(...demo.users.map((user) => user.email.length));
  const users = demo.users.map(
    (user) => `${user.email.padEnd(width)}  ${user.organization.padEnd(8)}${user.role}`,
  );
  const clients = demo.clients.map((client) =>
    [
      client.clientId.padEnd(13),
      client.type.padEnd(13),
      client.clientSecret ? `secret ${client.clientSecret}  ` : "",
      client.redirectUris[0],
    ].join(""),
  );
  return [
    row("Demo users", `password ${demo.password}`),
    ...users.map((line) => row("", line)),
    row("Demo clients", clients[0] ?? ""),
    ...clients.slice(1).map((line) => row("", line)),
  ];
}

export function row(label: string, value: string): string {
  return `${label.padEnd(15)}${value}`;
}
