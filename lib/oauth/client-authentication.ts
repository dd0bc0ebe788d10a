import "server-only";
import type { OAuthClient } from "@/db/schema";
import { clientSecretMatches, findClientByClientId } from "@/lib/clients";
import { ClientAuthenticationError, OAuthError } from "./errors";
import { containsControlCharacter, type ProtocolParams } from "./params";

export const CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

export type AuthenticatedClient = { client: OAuthClient; method: ClientAuthMethod };

/**
 * Client authentication at the token and revocation endpoints (RFC 6749 §2.3).
 *
 * - Confidential clients must prove their secret, by HTTP Basic or in the body, never both
 *   (RFC 6749 §2.3: "MUST NOT use more than one authentication method in each request").
 * - Public clients authenticate with client_id alone (`none`). A public client that sends a
 *   non-empty secret is refused: it has none, so the secret is a misconfiguration or a guess,
 *   and accepting it silently would hide a client that believes it is confidential. An empty
 *   Basic password is treated as no secret (RFC 6749 §2.3.1 allows omitting an empty one).
 */
export async function authenticateClient(
  headers: Headers,
  params: ProtocolParams,
): Promise<AuthenticatedClient> {
  const basic = readBasicCredentials(headers.get("authorization"));
  const postedId = params.get("client_id");
  const postedSecret = params.get("client_secret");
  if (basic && postedSecret !== undefined) {
    throw new OAuthError(
      "invalid_request",
      "Use one client authentication method: HTTP Basic or client_secret in the body, not both",
    );
  }
  if (basic && postedId !== undefined && postedId !== basic.clientId) {
    throw new OAuthError("invalid_request", "client_id differs from the Authorization header");
  }
  const clientId = basic?.clientId ?? postedId;
  if (!clientId)
    throw new ClientAuthenticationError("Client authentication is required", undefined);
  const client = await findClientByClientId(clientId);
  if (!client) throw new ClientAuthenticationError("Unknown client", clientId);

  const secret = basic ? basic.secret : postedSecret;
  if (client.type === "public") {
    if (secret) {
      throw new ClientAuthenticationError(
        "This is a public client: send client_id without a secret",
        clientId,
      );
    }
    return { client, method: "none" };
  }
  if (!secret) {
    throw new ClientAuthenticationError("This client must authenticate with its secret", clientId);
  }
  if (!clientSecretMatches(client, secret)) {
    throw new ClientAuthenticationError("Client authentication failed", clientId);
  }
  return { client, method: basic ? "client_secret_basic" : "client_secret_post" };
}

/**
 * HTTP Basic credentials. RFC 6749 §2.3.1: client_id and secret are form-urlencoded before
 * being joined with ":" and base64-encoded, so both are decoded after splitting.
 */
export function readBasicCredentials(
  authorization: string | null,
): { clientId: string; secret: string } | undefined {
  if (authorization === null) return undefined;
  const match = /^Basic +([A-Za-z0-9+/]+={0,2})$/i.exec(authorization.trim());
  if (!match?.[1]) {
    throw new ClientAuthenticationError(
      "Malformed Authorization header; use HTTP Basic",
      undefined,
    );
  }
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const separator = decoded.indexOf(":");
  const clientId = separator > 0 ? formDecode(decoded.slice(0, separator)) : undefined;
  const secret = separator > 0 ? formDecode(decoded.slice(separator + 1)) : undefined;
  if (!clientId || secret === undefined || containsControlCharacter(clientId + secret)) {
    throw new ClientAuthenticationError("Malformed HTTP Basic credentials", undefined);
  }
  return { clientId, secret };
}

function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}
