import { readFormParams } from "@/lib/oauth/params";
import { jsonResponse, preflightResponse, tokenErrorResponse } from "@/lib/oauth/responses";
import { revokeToken } from "@/lib/oauth/revocation";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  try {
    await revokeToken(request.headers, await readFormParams(request));
    // RFC 7009 §2.2: 200 whether or not the token existed; the body is ignored by clients.
    return jsonResponse({});
  } catch (error) {
    return tokenErrorResponse(error, "/oauth/revoke");
  }
}

export function OPTIONS(): Response {
  return preflightResponse("POST, OPTIONS");
}
