import "server-only";
import { sql } from "drizzle-orm";
import type { Organization } from "@/db/schema";
import { ensureApiKey } from "@/lib/api-keys";
import { verifyPassword } from "@/lib/crypto";
import { db, type Executor } from "@/lib/db";
import { bootstrapApiKey, env } from "@/lib/env";
import { addMembership, findOperatorOrganization, insertOrganization } from "@/lib/organizations";
import { findUserByEmail, insertUser, setUserPassword } from "@/lib/users";
import { type DemoDataReport, loadDemoData } from "./demo-data";
import { BOOTSTRAP_LOCK } from "./lock";

export { formatBanner } from "./banner";

/**
 * What every Gatehouse process makes sure of at start, after migrations: the operator
 * organization, its administrator, the bootstrap API key and (when asked) the demo data.
 * Idempotent, and safe when several instances start at once: the whole step runs in one
 * transaction holding an advisory lock, so instances take turns and each finds the others' work.
 */
export type BootstrapOptions = {
  adminEmail?: string;
  adminPassword?: string;
  /** The password is Gatehouse's embedded default, not one the operator chose: it may be shown. */
  adminPasswordIsDefault: boolean;
  apiKey?: string;
  /** The key was generated for embedded mode rather than configured. */
  apiKeyGenerated?: boolean;
  demoData: boolean;
};

export type BootstrapReport = {
  operatorOrganization: Organization;
  admin:
    | { configured: false }
    | {
        configured: true;
        email: string;
        created: boolean;
        /** Only when it is the embedded default and still the user's password. */
        defaultPassword?: string;
        hasPassword: boolean;
      };
  apiKey?: {
    key: string;
    prefix: string;
    created: boolean;
    revoked: boolean;
    operatorWide: boolean;
    generated?: boolean;
  };
  demo?: DemoDataReport;
};

export const OPERATOR_ORGANIZATION_NAME = "Gatehouse";

export function bootstrapOptionsFromEnv(): BootstrapOptions {
  return {
    adminEmail: env.adminEmail,
    adminPassword: env.adminPassword,
    adminPasswordIsDefault: env.adminCredentialsAreDefaults,
    apiKey: bootstrapApiKey()?.key,
    apiKeyGenerated: bootstrapApiKey()?.generated ?? false,
    demoData: env.demoData,
  };
}

export async function bootstrap(
  options: BootstrapOptions = bootstrapOptionsFromEnv(),
): Promise<BootstrapReport> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
    const operatorOrganization = await ensureOperatorOrganization(tx);
    const admin = await ensureAdministrator(tx, operatorOrganization, options);
    const apiKey = options.apiKey
      ? {
          ...(await ensureBootstrapApiKey(tx, options.apiKey)),
          generated: options.apiKeyGenerated ?? false,
        }
      : undefined;
    const demo = options.demoData ? await loadDemoData(tx) : undefined;
    return { operatorOrganization, admin, apiKey, demo };
  });
}

export async function ensureOperatorOrganization(tx: Executor): Promise<Organization> {
  const existing = await findOperatorOrganization(tx);
  if (existing) return existing;
  return insertOrganization(tx, { name: OPERATOR_ORGANIZATION_NAME, isOperator: true });
}

/**
 * The administrator from the environment, as an admin of the operator organization. An existing
 * user keeps their password (they may have changed it); only a user without one gets it.
 */
async function ensureAdministrator(
  tx: Executor,
  operatorOrganization: Organization,
  options: BootstrapOptions,
): Promise<BootstrapReport["admin"]> {
  if (!options.adminEmail) return { configured: false };
  const password = options.adminPassword ?? null;
  let user = await findUserByEmail(options.adminEmail, tx);
  const created = !user;
  if (!user) {
    user = await insertUser(tx, { email: options.adminEmail, name: "Administrator", password });
  } else if (!user.passwordHash && password) {
    user = await setUserPassword(user.id, password, tx);
  }
  await addMembership(
    { userId: user.id, organizationId: operatorOrganization.id, role: "admin" },
    tx,
  );
  const showPassword =
    options.adminPasswordIsDefault &&
    password !== null &&
    user.passwordHash !== null &&
    (created || (await verifyPassword(password, user.passwordHash)));
  return {
    configured: true,
    email: user.email,
    created,
    hasPassword: user.passwordHash !== null,
    ...(showPassword && password ? { defaultPassword: password } : {}),
  };
}

async function ensureBootstrapApiKey(
  tx: Executor,
  key: string,
): Promise<NonNullable<BootstrapReport["apiKey"]>> {
  const { apiKey, created } = await ensureApiKey(
    { name: "Bootstrap key (GATEHOUSE_BOOTSTRAP_API_KEY)", key, organizationId: null },
    tx,
  );
  return {
    key,
    prefix: apiKey.prefix,
    created,
    revoked: apiKey.revokedAt !== null,
    operatorWide: apiKey.organizationId === null,
  };
}
