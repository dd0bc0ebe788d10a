import { readFormParams } from "@/lib/oauth/params";
import { jsonResponse, preflightResponse, tokenErrorResponse } from "@/lib/oauth/responses";
import { exchangeToken } from "@/lib/oauth/token-endpoint";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  try {
    const params = await readFormParams(request);
    return jsonResponse(await exchangeToken(request.headers, params));
  } catch (error) {
    return tokenErrorResponse(error, "/oauth/token");
  }
}

export function OPTIONS(): Response {
  return preflightResponse("POST, OPTIONS");
}
