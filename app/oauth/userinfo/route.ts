import { readFormParams } from "@/lib/oauth/params";
import { bearerErrorResponse, jsonResponse, preflightResponse } from "@/lib/oauth/responses";
import { bearerTokenFrom, userInfoFor } from "@/lib/oauth/userinfo";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return userInfo(request, false);
}

/** OIDC Core §5.3.1: POST is supported too, with the token in the header or the form body. */
export function POST(request: Request): Promise<Response> {
  return userInfo(request, hasFormBody(request));
}

export function OPTIONS(): Response {
  return preflightResponse("GET, POST, OPTIONS");
}

async function userInfo(request: Request, readForm: boolean): Promise<Response> {
  try {
    const formToken = readForm ? (await readFormParams(request)).get("access_token") : undefined;
    const token = bearerTokenFrom(request.headers.get("authorization"), formToken);
    return jsonResponse(await userInfoFor(token));
  } catch (error) {
    return bearerErrorResponse(error, "/oauth/userinfo");
  }
}

function hasFormBody(request: Request): boolean {
  const contentType = request.headers.get("content-type")?.toLowerCase() ?? "";
  return contentType.startsWith("application/x-www-form-urlencoded");
}
