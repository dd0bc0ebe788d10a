import "server-only";
import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { oauthClients } from "@/db/schema";
import { findClientByClientId, insertClient } from "@/lib/clients";
import { hashToken } from "@/lib/crypto";
import { constraintViolation, UNIQUE_VIOLATION } from "@/lib/database-errors";
import { db } from "@/lib/db";
import { authSecret, env } from "@/lib/env";

/**
 * The dashboard signs its users in through Gatehouse itself, as an ordinary confidential OIDC
 * client, so every dashboard sign-in is an auth log entry like any other.
 */
export const DASHBOARD_CLIENT_ID = "gatehouse-dashboard";
export const DASHBOARD_CLIENT_NAME = "Gatehouse Dashboard";
/** The next-auth provider id; it is part of the callback path. */
export const DASHBOARD_PROVIDER_ID = "gatehouse";

export function dashboardRedirectUri(): string {
  return `${env.issuer}/api/auth/callback/${DASHBOARD_PROVIDER_ID}`;
}

export function dashboardPostLogoutRedirectUri(): string {
  return `${env.issuer}/signed-out`;
}

/**
 * Derived from AUTH_SECRET rather than generated: every instance behind a load balancer computes
 * the same value without storing or printing it, and rotating AUTH_SECRET rotates it too.
 */
export function dashboardClientSecret(): string {
  return createHmac("sha256", authSecret())
    .update("gatehouse:dashboard-client-secret:v1")
    .digest("base64url");
}

/**
 * Registers the dashboard client, or brings it in line with the current GATEHOUSE_URL and
 * AUTH_SECRET. Idempotent and safe when several instances start at once.
 */
export async function ensureDashboardClient(): Promise<void> {
  const wanted = {
    redirectUris: [dashboardRedirectUri()],
    postLogoutRedirectUris: [dashboardPostLogoutRedirectUri()],
    secretHash: hashToken(dashboardClientSecret()),
  };
  const existing = await findClientByClientId(DASHBOARD_CLIENT_ID);
  if (!existing) {
    try {
      await insertClient(db, {
        name: DASHBOARD_CLIENT_NAME,
        type: "confidential",
        clientId: DASHBOARD_CLIENT_ID,
        clientSecret: dashboardClientSecret(),
        redirectUris: wanted.redirectUris,
        postLogoutRedirectUris: wanted.postLogoutRedirectUris,
      });
    } catch (error) {
      // Another instance registered it first; what it wrote is what this one would have.
      if (constraintViolation(error)?.code !== UNIQUE_VIOLATION) throw error;
    }
    return;
  }
  const current = {
    redirectUris: existing.redirectUris,
    postLogoutRedirectUris: existing.postLogoutRedirectUris,
    secretHash: existing.secretHash,
  };
  if (JSON.stringify(current) === JSON.stringify(wanted)) return;
  await db
    .update(oauthClients)
    .set({ ...wanted, type: "confidential", updatedAt: new Date() })
    .where(eq(oauthClients.clientId, DASHBOARD_CLIENT_ID));
}

const state = globalThis as unknown as { __gatehouseDashboardClient?: Promise<void> };

/**
 * ensureDashboardClient once per process, for the sign-in route: the dashboard keeps working
 * even where start-up has not registered the client (a fresh database in a test, say).
 */
export function ensureDashboardClientOnce(): Promise<void> {
  state.__gatehouseDashboardClient ??= ensureDashboardClient().catch((error) => {
    state.__gatehouseDashboardClient = undefined;
    throw error;
  });
  return state.__gatehouseDashboardClient;
}
