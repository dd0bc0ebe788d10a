import { startAuthorization } from "@/lib/oauth/authorize";
import {
  errorPageResponse,
  logUnexpected,
  redirectResponse,
  SERVER_ERROR_PAGE,
} from "@/lib/oauth/responses";
import { sessionCookieFromRequest } from "@/lib/sessions";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return authorize(request, new URL(request.url).search);
}

/** OIDC Core §3.1.2.1: the same parameters, form-encoded in the body. */
export async function POST(request: Request): Promise<Response> {
  const isForm = request.headers
    .get("content-type")
    ?.toLowerCase()
    .startsWith("application/x-www-form-urlencoded");
  // An over-long body is refused by the parser exactly like an over-long query string.
  return authorize(request, isForm ? await request.text() : "");
}

async function authorize(request: Request, query: string): Promise<Response> {
  try {
    const outcome = await startAuthorization({
      query,
      headers: request.headers,
      sessionCookie: sessionCookieFromRequest(request),
    });
    return outcome.kind === "redirect"
      ? redirectResponse(outcome.location)
      : errorPageResponse(outcome.page, outcome.status);
  } catch (error) {
    logUnexpected("/oauth/authorize", error);
    return errorPageResponse(SERVER_ERROR_PAGE, 500);
  }
}
