import "server-only";
import { headers } from "next/headers";
import { getToken } from "next-auth/jwt";
import { signOut } from "@/auth";
import {
  DASHBOARD_CLIENT_ID,
  dashboardPostLogoutRedirectUri,
} from "@/lib/bootstrap/dashboard-client";
import { authSecret, env } from "@/lib/env";
import { newSecret } from "@/lib/ids";

/**
 * Ends both sessions: the dashboard's (next-auth cookie) here, then Gatehouse's own through
 * OIDC RP-Initiated Logout, which comes back to /signed-out. Returns that logout URL, for the
 * browser to be sent to: the ID token it carries proves to /oauth/logout that the request comes
 * from the dashboard, so it needs no confirmation.
 */
export async function signOutOfDashboard(): Promise<string> {
  const secureCookie = env.issuer.startsWith("https://");
  const token = await getToken({
    req: { headers: await headers() },
    secret: authSecret(),
    secureCookie,
  });
  await signOut({ redirect: false });
  const logout = new URL(`${env.issuer}/oauth/logout`);
  if (token?.idToken) logout.searchParams.set("id_token_hint", token.idToken);
  logout.searchParams.set("client_id", DASHBOARD_CLIENT_ID);
  logout.searchParams.set("post_logout_redirect_uri", dashboardPostLogoutRedirectUri());
  logout.searchParams.set("state", newSecret(16));
  return logout.toString();
}
