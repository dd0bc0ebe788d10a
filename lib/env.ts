import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseDuration } from "./time";

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null) {
        ctx.addIssue({ code: "custom", message: `"${text}" is not a duration like 90s or 15m` });
        return z.NEVER;
      }
      return ms;
    });

/** A comma-separated list of durations, e.g. `1m,5m,15m`; an empty list means no retries. */
const durationList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const parts = text
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean);
      const delays = parts.map(parseDuration);
      const bad = parts.find((_, index) => delays[index] === null);
      if (bad !== undefined) {
        ctx.addIssue({ code: "custom", message: `"${bad}" is not a duration like 30s or 5m` });
        return z.NEVER;
      }
      return delays as number[];
    });

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_URL: optionalText.pipe(z.url().optional()),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    GATEHOUSE_DATA_DIR: z.string().default(".data"),
    GATEHOUSE_EMBEDDED_DB: optionalText,
    GATEHOUSE_URL: optionalText.pipe(z.url().optional()),
    AUTH_SECRET: optionalText.pipe(z.string().min(32).optional()),
    GATEHOUSE_BOOTSTRAP_API_KEY: optionalText.pipe(z.string().min(24).optional()),
    GATEHOUSE_ADMIN_EMAIL: optionalText.pipe(z.email().optional()),
    GATEHOUSE_ADMIN_PASSWORD: optionalText.pipe(z.string().min(8).optional()),
    GATEHOUSE_SMTP_URL: optionalText.pipe(z.url().optional()),
    GATEHOUSE_SMTP_FROM: z.string().default("Gatehouse <no-reply@gatehouse.local>"),
    GATEHOUSE_DEMO_DATA: booleanFlag,
    GATEHOUSE_COMPRESS: booleanFlag,
    AUTH_REQUEST_TIMEOUT: duration("15m"),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: z.enum(["true", "false", "1", "0", ""]).optional(),
    WEBHOOK_RETRY_DELAYS: durationList("1m,5m,15m"),
  })
  .transform((raw) => {
    const embedded = !raw.DATABASE_URL;
    const issuer = (raw.GATEHOUSE_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, "");
    const allowPrivate =
      raw.WEBHOOK_ALLOW_PRIVATE_TARGETS === undefined || raw.WEBHOOK_ALLOW_PRIVATE_TARGETS === ""
        ? raw.NODE_ENV === "development"
        : raw.WEBHOOK_ALLOW_PRIVATE_TARGETS === "true" || raw.WEBHOOK_ALLOW_PRIVATE_TARGETS === "1";
    return {
      nodeEnv: raw.NODE_ENV,
      port: raw.PORT,
      databaseUrl: raw.DATABASE_URL,
      databasePoolSize: raw.DATABASE_POOL_SIZE,
      embedded,
      dataDir: path.resolve(raw.GATEHOUSE_DATA_DIR),
      // A folder, or memory:// for a throw-away database (tests).
      embeddedDb:
        raw.GATEHOUSE_EMBEDDED_DB ?? path.join(path.resolve(raw.GATEHOUSE_DATA_DIR), "pglite"),
      issuer,
      configuredAuthSecret: raw.AUTH_SECRET,
      bootstrapApiKey: raw.GATEHOUSE_BOOTSTRAP_API_KEY,
      adminEmail: raw.GATEHOUSE_ADMIN_EMAIL ?? (embedded ? "admin@gatehouse.local" : undefined),
      adminPassword: raw.GATEHOUSE_ADMIN_PASSWORD ?? (embedded ? "gatehouse-admin" : undefined),
      adminCredentialsAreDefaults: embedded && !raw.GATEHOUSE_ADMIN_PASSWORD,
      smtpUrl: raw.GATEHOUSE_SMTP_URL,
      smtpFrom: raw.GATEHOUSE_SMTP_FROM,
      demoData: raw.GATEHOUSE_DEMO_DATA,
      // Off by default: a production issuer is served over HTTPS, so a TLS-terminating proxy is
      // in front, and compressing there spares this process's one thread (see README).
      compressResponses: raw.GATEHOUSE_COMPRESS,
      authRequestTimeoutMs: raw.AUTH_REQUEST_TIMEOUT,
      allowPrivateTargets: allowPrivate,
      // Waits between webhook delivery attempts: attempt 1 at once, one more after each delay.
      webhookRetryDelaysMs: raw.WEBHOOK_RETRY_DELAYS,
    };
  });

export type Env = z.infer<typeof schema>;

/** Every setting, parsed once. A bad value stops the process with the variable named. */
export const env: Env = parseEnv(process.env);

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`Invalid Gatehouse configuration:\n${lines.join("\n")}`);
}

let cachedSecret: string | undefined;

/**
 * The secret behind session cookies and other server-side MACs. In embedded mode an unset
 * AUTH_SECRET is generated once and kept in the data folder so sessions survive restarts.
 */
export function authSecret(): string {
  if (cachedSecret) return cachedSecret;
  if (env.configuredAuthSecret) {
    cachedSecret = env.configuredAuthSecret;
  } else if (env.embedded || env.nodeEnv !== "production") {
    cachedSecret = readOrCreateSecretFile(path.join(env.dataDir, "auth-secret"));
  } else {
    throw new Error(
      "AUTH_SECRET must be set (32+ characters) when DATABASE_URL is set in production",
    );
  }
  return cachedSecret;
}

/**
 * The operator-wide management API key to ensure at start: GATEHOUSE_BOOTSTRAP_API_KEY, or in
 * embedded mode one generated once and kept in the data folder, so a fresh `npm run dev` can
 * call the API straight away.
 */
export function bootstrapApiKey(): { key: string; generated: boolean } | undefined {
  if (env.bootstrapApiKey) return { key: env.bootstrapApiKey, generated: false };
  if (!env.embedded) return undefined;
  const key = readOrCreateSecretFile(
    path.join(env.dataDir, "bootstrap-api-key"),
    () => `gh_sk_${randomBytes(24).toString("base64url")}`,
  );
  return { key, generated: true };
}

function readOrCreateSecretFile(
  file: string,
  generate: () => string = () => randomBytes(32).toString("base64url"),
): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const secret = generate();
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  }
}
