import "server-only";
import type { JWTPayload } from "jose";
import type { OAuthClient } from "@/db/schema";
import { findClientByClientId } from "@/lib/clients";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { endSession, readSession } from "@/lib/sessions";
import { emitUserLogout } from "@/lib/webhooks/emit";
import { dispatchEvents } from "@/lib/webhooks/outbox";
import { OAuthError } from "./errors";
import { verifyOwnSignature } from "./jwt";
import type { ErrorPage } from "./pages";
import type { ProtocolParams } from "./params";

export type LogoutOutcome =
  | { kind: "redirect"; location: string }
  | { kind: "signed_out" }
  | { kind: "confirm"; fields: Record<string, string>; clientName?: string }
  | { kind: "error_page"; page: ErrorPage };

// The parameters of OIDC RP-Initiated Logout 1.0 §2 carried through the confirmation form.
const CARRIED_PARAMS = ["id_token_hint", "client_id", "post_logout_redirect_uri", "state"];

/**
 * The end-session endpoint (OIDC RP-Initiated Logout 1.0). The session ends without a question
 * only when a valid id_token_hint names the signed-in user; otherwise §2 requires asking, and
 * the answer is a same-origin POST (the Lax session cookie is not sent on a cross-site POST, so
 * another site cannot answer for the user). post_logout_redirect_uri must be registered exactly.
 */
export async function endSessionRequest(input: {
  params: ProtocolParams;
  method: "GET" | "POST";
  sessionCookie?: string;
  origin: string | null;
}): Promise<LogoutOutcome> {
  const { params } = input;
  let hint: JWTPayload | undefined;
  let client: OAuthClient | undefined;
  let returnTo: URL | undefined;
  try {
    hint = await verifiedHint(params.get("id_token_hint"));
    client = await identifiedClient(params.get("client_id"), hint);
    returnTo = postLogoutRedirect(client, params);
  } catch (error) {
    if (error instanceof OAuthError) return { kind: "error_page", page: logoutErrorPage(error) };
    throw error;
  }
  const session = await readSession(input.sessionCookie);
  if (session) {
    const hintNamesUser = hint?.sub === session.userId;
    const confirmed =
      input.method === "POST" && params.get("confirm") === "yes" && isOwnOrigin(input.origin);
    if (!hintNamesUser && !confirmed) {
      return { kind: "confirm", fields: carriedFields(params), clientName: client?.name };
    }
    // The user.logout webhooks are written with the session's end (transactional outbox).
    const logout = await db.transaction(async (tx) => {
      const ended = await endSession(input.sessionCookie, tx);
      return ended
        ? emitUserLogout(tx, { session: ended, clientId: client?.clientId ?? null })
        : [];
    });
    await dispatchEvents(logout);
  }
  if (!returnTo) return { kind: "signed_out" };
  const state = params.get("state");
  if (state) returnTo.searchParams.set("state", state);
  return { kind: "redirect", location: returnTo.toString() };
}

async function verifiedHint(idTokenHint: string | undefined): Promise<JWTPayload | undefined> {
  if (!idTokenHint) return undefined;
  try {
    return await verifyOwnSignature(idTokenHint);
  } catch {
    throw new OAuthError("invalid_request", "The id_token_hint is not an ID token from Gatehouse.");
  }
}

async function identifiedClient(
  clientId: string | undefined,
  hint: JWTPayload | undefined,
): Promise<OAuthClient | undefined> {
  const audience = Array.isArray(hint?.aud) ? hint.aud[0] : hint?.aud;
  if (clientId && audience && clientId !== audience) {
    throw new OAuthError("invalid_request", "client_id does not match the id_token_hint audience.");
  }
  const id = clientId ?? audience;
  if (!id) return undefined;
  const client = await findClientByClientId(id);
  if (!client) throw new OAuthError("invalid_client", "The client_id is not a registered client.");
  return client;
}

function postLogoutRedirect(
  client: OAuthClient | undefined,
  params: ProtocolParams,
): URL | undefined {
  const uri = params.get("post_logout_redirect_uri");
  if (!uri) return undefined;
  if (!client) {
    throw new OAuthError(
      "invalid_request",
      "post_logout_redirect_uri needs client_id or id_token_hint to say whose URI it is.",
    );
  }
  // Exact match against the registered list, the same open-redirect defence as at authorize.
  if (!client.postLogoutRedirectUris.includes(uri)) {
    throw new OAuthError(
      "invalid_request",
      "The post_logout_redirect_uri is not registered for this client.",
    );
  }
  return new URL(uri);
}

function carriedFields(params: ProtocolParams): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of CARRIED_PARAMS) {
    const value = params.get(name);
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}

function isOwnOrigin(origin: string | null): boolean {
  // Browsers send Origin on every POST; its absence (non-browser clients) is left to SameSite.
  return origin === null || origin === new URL(env.issuer).origin;
}

export function logoutErrorPage(error: OAuthError): ErrorPage {
  return {
    title: "Sign-out request not valid",
    message: error.description,
    checks: [
      "post_logout_redirect_uri must be registered for the application exactly as sent.",
      "Send client_id or a Gatehouse id_token_hint with post_logout_redirect_uri.",
    ],
  };
}
