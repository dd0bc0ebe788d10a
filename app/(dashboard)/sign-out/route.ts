import { signOutOfDashboard } from "@/lib/dashboard/sign-out";
import { env } from "@/lib/env";

/**
 * "Sign out", posted by the dashboard's menu and the no-access page as a plain form: clears the
 * dashboard session and sends the browser on to Gatehouse's own logout (303), so both sessions
 * end in the browser that asked. Refused from other sites, which could otherwise sign an
 * operator out from a page of theirs.
 */
export async function POST(request: Request): Promise<Response> {
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== new URL(env.issuer).origin) {
    return new Response("Sign-out must be requested from the dashboard itself.", { status: 403 });
  }
  return new Response(null, {
    status: 303,
    headers: { location: await signOutOfDashboard(), "cache-control": "no-store" },
  });
}
