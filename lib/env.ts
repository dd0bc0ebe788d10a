import { createHmac, randomBytes } from "node:crypto";
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

const DEV_FLAGS = new Set(["1", "true", "0", "false"]);
/**
 * The embedded engine listens on PORT + this unless INNGEST_ENGINE_PORT says otherwise: fixed,
 * so that every module instance computes the same base URL for the Inngest client, and apart
 * from PORT, so that servers side by side on different ports get engines of their own.
 */
const ENGINE_PORT_OFFSET = 10_000;

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
    // "1" or "true" for the Dev Server at its default address, or the Dev Server's URL.
    INNGEST_DEV: optionalText,
    INNGEST_BASE_URL: optionalText.pipe(z.url().optional()),
    INNGEST_SIGNING_KEY: optionalText,
    INNGEST_EVENT_KEY: optionalText,
    INNGEST_ENGINE_PORT: optionalText
      .transform((text) => (text === undefined ? undefined : Number(text)))
      .pipe(z.number().int().min(1).max(65535).optional()),
  })
  .superRefine((raw, ctx) => {
    const devFlag = raw.INNGEST_DEV;
    if (devFlag && !DEV_FLAGS.has(devFlag) && !z.url().safeParse(devFlag).success) {
      ctx.addIssue({
        code: "custom",
        path: ["INNGEST_DEV"],
        message: `"${devFlag}" is neither 1, true, 0, false nor the Dev Server's URL`,
      });
    }
    if (
      runsEmbeddedEngine(raw) &&
      !raw.INNGEST_ENGINE_PORT &&
      raw.PORT + ENGINE_PORT_OFFSET > 65535
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["INNGEST_ENGINE_PORT"],
        message: `must be set when PORT (${raw.PORT}) + ${ENGINE_PORT_OFFSET} is not a port`,
      });
    }
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
      inngest: inngestSettings(raw),
    };
  });

export type Env = z.infer<typeof schema>;

/**
 * Where the Inngest client (inngest/client.ts) sends events and who calls its functions. With
 * none of INNGEST_DEV, INNGEST_BASE_URL and INNGEST_SIGNING_KEY set, Gatehouse runs its own
 * embedded engine (lib/server/start.ts) on 127.0.0.1:`enginePort`, in signed mode; the keys
 * are in `inngestKeys()`.
 */
export type InngestSettings = {
  embeddedEngine: boolean;
  /** The embedded engine's port: INNGEST_ENGINE_PORT, else PORT + 10000. */
  enginePort: number;
  /** The Inngest server's base URL; undefined for the SDK's default (Inngest Cloud, Dev Server). */
  baseUrl: string | undefined;
  isDev: boolean;
  /** As configured; the embedded engine's are derived by `inngestKeys()`. */
  signingKey: string | undefined;
  eventKey: string | undefined;
};

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

let cachedInngestKeys: InngestKeys | undefined;

export type InngestKeys = { signingKey: string | undefined; eventKey: string | undefined };

/**
 * The keys the Inngest client signs, verifies and sends events with, which the embedded engine
 * is started with too. Read on first use rather than with the rest of the settings: in embedded
 * mode they derive from AUTH_SECRET, which may live in the data folder, which a build never
 * reads.
 */
export function inngestKeys(): InngestKeys {
  cachedInngestKeys ??= env.inngest.embeddedEngine
    ? embeddedInngestKeys(authSecret(), env.inngest.eventKey)
    : { signingKey: env.inngest.signingKey, eventKey: env.inngest.eventKey };
  return cachedInngestKeys;
}

/**
 * The embedded engine's keys, derived from AUTH_SECRET rather than generated: instrumentation
 * and every route bundle (separate module instances in Next.js) and every restart compute the
 * same without storing them, and rotating AUTH_SECRET rotates them. An event key the operator
 * set is kept: other senders may use it too.
 */
export function embeddedInngestKeys(secret: string, configuredEventKey?: string): InngestKeys {
  const derive = (purpose: string) => createHmac("sha256", secret).update(purpose).digest("hex");
  return {
    // Inngest's format: the SDK hashes the hex after the prefix for its API bearer token.
    signingKey: `signkey-embedded-${derive("gatehouse:inngest-signing-key:v1")}`,
    eventKey: configuredEventKey ?? `embedded-${derive("gatehouse:inngest-event-key:v1")}`,
  };
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

type RawInngestSettings = {
  PORT: number;
  INNGEST_DEV?: string;
  INNGEST_BASE_URL?: string;
  INNGEST_SIGNING_KEY?: string;
  INNGEST_EVENT_KEY?: string;
  INNGEST_ENGINE_PORT?: number;
};

/** No Inngest server is configured (Dev Server, `inngest start`, Cloud): Gatehouse runs its own. */
function runsEmbeddedEngine(raw: RawInngestSettings): boolean {
  return !raw.INNGEST_DEV && !raw.INNGEST_BASE_URL && !raw.INNGEST_SIGNING_KEY;
}

function inngestSettings(raw: RawInngestSettings): InngestSettings {
  const devFlag = raw.INNGEST_DEV;
  const devUrl = devFlag && !DEV_FLAGS.has(devFlag) ? devFlag : undefined;
  const enginePort = raw.INNGEST_ENGINE_PORT ?? raw.PORT + ENGINE_PORT_OFFSET;
  const embeddedEngine = runsEmbeddedEngine(raw);
  return {
    embeddedEngine,
    enginePort,
    baseUrl: embeddedEngine ? `http://127.0.0.1:${enginePort}` : (raw.INNGEST_BASE_URL ?? devUrl),
    isDev: devFlag === "1" || devFlag === "true" || devUrl !== undefined,
    signingKey: raw.INNGEST_SIGNING_KEY,
    eventKey: raw.INNGEST_EVENT_KEY,
  };
}
