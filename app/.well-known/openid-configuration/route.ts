import { openIdConfiguration } from "@/lib/oauth/discovery";
import { publicJsonResponse } from "@/lib/oauth/responses";

export const dynamic = "force-dynamic";

export function GET(): Response {
  return publicJsonResponse(openIdConfiguration(), 300);
}
