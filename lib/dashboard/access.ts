import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { decode, getToken } from "next-auth/jwt";
import { cache } from "react";
import { authSecret, env } from "@/lib/env";
import type { Scope } from "@/lib/organizations/scope";
import { signInPath } from "./return-path";
import { dashboardAccessOf } from "./scope";
import { rememberingDecoder } from "./session-cache";

/** The signed-in administrator and whose data they may see. */
export type DashboardViewer = {
  userId: string;
  email: string;
  name: string | null;
  scope: Scope;
  /** The one organization an organization-scoped admin administers; null for operators. */
  organization: { id: string; name: string } | null;
};

export type DashboardAccess =
  | { kind: "signed_out" }
  | { kind: "no_access"; email: string; name: string | null }
  | { kind: "granted"; viewer: DashboardViewer };

/**
 * The caller's access, read from the session cookie and then from the database on every request
 * (cached for the request only), so removing someone's admin role takes effect at once.
 */
export const getDashboardAccess = cache(async (): Promise<DashboardAccess> => {
  const session = await readDashboardSession();
  const userId = session?.sub;
  if (!userId) return { kind: "signed_out" };
  const email = session.email ?? "";
  const name = session.name ?? null;
  const access = await dashboardAccessOf(userId);
  if (!access) return { kind: "no_access", email, name };
  return { kind: "granted", viewer: { userId, email, name, ...access } };
});

/**
 * For every dashboard page and action: the viewer, or a redirect to sign in (coming back to
 * `returnTo`, filters included) or to the no-access page.
 */
export async function requireDashboardScope(returnTo: string): Promise<DashboardViewer> {
  const access = await getDashboardAccess();
  if (access.kind === "signed_out") redirect(signInPath(returnTo));
  if (access.kind === "no_access") redirect("/no-access");
  return access.viewer;
}

// Sessions of the operators active in the last while; a few hundred bytes each.
const decodeSession = rememberingDecoder(decode, { max: 1000 });

/**
 * The dashboard session cookie, decrypted and checked for expiry: what next-auth's auth() reads,
 * without the rest of its session round (a fresh cookie that a server component could not set
 * anyway). It is on every dashboard request, so those milliseconds count, and a cookie seen
 * recently is not decrypted again.
 */
async function readDashboardSession() {
  return getToken({
    req: { headers: await headers() },
    secret: authSecret(),
    secureCookie: env.issuer.startsWith("https://"),
    decode: decodeSession,
  });
}
