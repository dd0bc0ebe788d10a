import { OAUTH_PATHS } from "@/lib/oauth/discovery";
import { OAuthError } from "@/lib/oauth/errors";
import { endSessionRequest, logoutErrorPage } from "@/lib/oauth/logout";
import { renderLogoutConfirmPage, renderSignedOutPage } from "@/lib/oauth/pages";
import { readFormParams, uniqueParams } from "@/lib/oauth/params";
import {
  errorPageResponse,
  htmlResponse,
  logUnexpected,
  redirectResponse,
  SERVER_ERROR_PAGE,
} from "@/lib/oauth/responses";
import {
  clearedSessionCookie,
  serializeSessionCookie,
  sessionCookieFromRequest,
} from "@/lib/sessions";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return logout(request, "GET");
}

export function POST(request: Request): Promise<Response> {
  return logout(request, "POST");
}

async function logout(request: Request, method: "GET" | "POST"): Promise<Response> {
  try {
    const params =
      method === "GET"
        ? uniqueParams(new URL(request.url).searchParams)
        : await readFormParams(request);
    const outcome = await endSessionRequest({
      params,
      method,
      sessionCookie: sessionCookieFromRequest(request),
      origin: request.headers.get("origin"),
    });
    const clearCookie = { "Set-Cookie": serializeSessionCookie(clearedSessionCookie()) };
    switch (outcome.kind) {
      case "redirect":
        return redirectResponse(outcome.location, clearCookie);
      case "signed_out":
        return htmlResponse(renderSignedOutPage(), { headers: clearCookie });
      case "confirm":
        return htmlResponse(
          renderLogoutConfirmPage({
            action: OAUTH_PATHS.endSession,
            fields: outcome.fields,
            clientName: outcome.clientName,
          }),
        );
      case "error_page":
        return errorPageResponse(outcome.page);
    }
  } catch (error) {
    if (error instanceof OAuthError) return errorPageResponse(logoutErrorPage(error));
    logUnexpected("/oauth/logout", error);
    return errorPageResponse(SERVER_ERROR_PAGE, 500);
  }
}
