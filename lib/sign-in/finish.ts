import "server-only";
import type { AuthMethod } from "@/constants/auth-logs";
import { AuthRequestClosedError, findAuthRequest } from "@/lib/auth-logs/journey";
import { findClientByClientId } from "@/lib/clients";
import type { ClientInfo } from "@/lib/http/client-info";
import { runPreSignInInterceptors } from "@/lib/interceptors";
import { findOrganization } from "@/lib/organizations";
import { findUser } from "@/lib/users";
import { StaleSignInStepError } from "./request";

export type GateOutcome =
  | { kind: "allowed"; userId: string; authMethod: AuthMethod; organizationId: string | null }
  /** An interceptor said DENY or failed closed; the request is in Failure. */
  | { kind: "blocked" };

/**
 * The last step before a code is issued: the user proved who they are (`credentials_verified`),
 * now the pre-sign-in interceptors decide. The caller completes the authorization on `allowed`.
 */
export async function passSignInGate(input: {
  authRequestId: string;
  client: ClientInfo;
}): Promise<GateOutcome> {
  const request = await findAuthRequest(input.authRequestId);
  if (!request) throw new AuthRequestClosedError(input.authRequestId, "missing");
  if (request.status !== "pending") throw new AuthRequestClosedError(request.id, request.status);
  const user = request.userId ? await findUser(request.userId) : undefined;
  if (!user || !request.authMethod) throw new StaleSignInStepError(request.id);
  const [organization, client] = await Promise.all([
    request.organizationId ? findOrganization(request.organizationId) : undefined,
    request.clientId ? findClientByClientId(request.clientId) : undefined,
  ]);
  const outcome = await runPreSignInInterceptors({
    authRequest: request,
    user,
    organization: organization ? { id: organization.id, name: organization.name } : null,
    client: { clientId: request.clientId ?? "", name: client?.name ?? null },
    ip: input.client.ip ?? request.ip,
    userAgent: input.client.userAgent ?? request.userAgent,
  });
  if (outcome.decision !== "allow") return { kind: "blocked" };
  return {
    kind: "allowed",
    userId: user.id,
    authMethod: request.authMethod,
    organizationId: request.organizationId,
  };
}
