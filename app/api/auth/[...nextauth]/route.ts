import type { NextRequest } from "next/server";
import { handlers, signIn } from "@/auth";
import { DASHBOARD_PROVIDER_ID, ensureDashboardClientOnce } from "@/lib/bootstrap/dashboard-client";
import { safeReturnPath } from "@/lib/dashboard/return-path";
import { env } from "@/lib/env";

/**
 * next-auth's endpoints, except that GET /api/auth/signin starts the Gatehouse sign-in at once
 * instead of showing next-auth's provider list: there is exactly one way into the dashboard.
 */
export async function GET(request: NextRequest): Promise<Response> {
  // Next's router fetches same-origin redirect targets as RSC (client-side, and server-side
  // after a server action redirects, e.g. the hosted sign-in sending the browser to this
  // callback). Such a fetch must not start a flow or spend an authorization code: answering
  // with something that is not RSC makes the router navigate the browser there for real.
  if (request.headers.get("rsc") === "1") {
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  }
  const url = new URL(request.url);
  if (
    url.pathname === "/api/auth/signin" ||
    url.pathname === `/api/auth/signin/${DASHBOARD_PROVIDER_ID}`
  ) {
    return startDashboardSignIn(url);
  }
  return handlers.GET(request);
}

export const POST = handlers.POST;

async function startDashboardSignIn(url: URL): Promise<Response> {
  const issuer = new URL(env.issuer);
  // The registered redirect URI is on the issuer's origin, and so must the flow's cookies be.
  if (url.origin !== issuer.origin) {
    return Response.redirect(new URL(`${url.pathname}${url.search}`, issuer), 307);
  }
  await ensureDashboardClientOnce();
  const returnTo = safeReturnPath(url.searchParams.get("callbackUrl"));
  // signIn sets the PKCE, state and nonce cookies and redirects to /oauth/authorize.
  return signIn(DASHBOARD_PROVIDER_ID, { redirectTo: returnTo });
}
