import { publicJsonResponse, tokenErrorResponse } from "@/lib/oauth/responses";
import { publishedJwks } from "@/lib/oauth/signing-keys";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  try {
    // Short cache: relying parties must see a new key soon after a rotation.
    return publicJsonResponse(await publishedJwks(), 60);
  } catch (error) {
    return tokenErrorResponse(error, "/oauth/jwks");
  }
}
