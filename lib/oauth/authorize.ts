import "server-only";
import type { OAuthClient, Session } from "@/db/schema";
import {
  type AuthRequestOpening,
  failAuthRequest,
  openAuthRequest,
  recordRejectedAuthRequest,
} from "@/lib/auth-logs/journey";
import { findClientByClientId, isRegisteredRedirectUri } from "@/lib/clients";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { type ClientInfo, clientInfoFromHeaders } from "@/lib/http/client-info";
import { readSession } from "@/lib/sessions";
import { findUser } from "@/lib/users";
import { authorizationErrorRedirect, completeAuthorization } from "./authorization";
import {
  type AuthorizeParams,
  type AuthorizeQuery,
  parseAuthorizeParams,
  readAuthorizeQuery,
  stateToEcho,
  UntrustedAuthorizeRequestError,
} from "./authorize-params";
import { OAuthError } from "./errors";
import type { ErrorPage } from "./pages";
import { loggable } from "./params";
import { joinScope } from "./scopes";

export type AuthorizeOutcome =
  | { kind: "redirect"; location: string }
  | { kind: "error_page"; status: 400; page: ErrorPage };

export const SIGN_IN_PATH = "/sign-in";

/**
 * The authorization endpoint (RFC 6749 §4.1.1, OIDC Core §3.1.2; GET and form POST alike, as
 * OIDC Core §3.1.2.1 requires). Every request is logged: a refused one as an auth request
 * opened and failed at once, a valid one as Initiated before the browser goes on to sign in
 * (or straight back with a code when a live session may be reused).
 */
export async function startAuthorization(request: {
  /** The form-encoded parameters: the URL query of a GET, the body of a POST. */
  query: string;
  headers: Headers;
  sessionCookie?: string;
}): Promise<AuthorizeOutcome> {
  const clientInfo = clientInfoFromHeaders(request.headers);
  let query: AuthorizeQuery;
  let client: OAuthClient;
  try {
    query = readAuthorizeQuery(request.query);
    client = await findTrustedClient(query);
  } catch (error) {
    if (error instanceof UntrustedAuthorizeRequestError) return refuseWithPage(error, clientInfo);
    throw error;
  }
  const state = stateToEcho(query);
  try {
    const params = parseAuthorizeParams(query);
    return await beginAuthorization(client, params, request.sessionCookie, clientInfo);
  } catch (error) {
    if (error instanceof OAuthError) {
      return refuseByRedirect(client, query, state, error, clientInfo);
    }
    // RFC 6749 §4.1.2.1 server_error: the redirect_uri is verified, so the client hears of it.
    console.error("Unexpected error at the authorization endpoint", error);
    const location = authorizationErrorRedirect({
      redirectUri: query.redirectUri,
      error: "server_error",
      description: "Gatehouse could not process the authorization request",
      state,
    });
    return { kind: "redirect", location };
  }
}

async function findTrustedClient(query: AuthorizeQuery): Promise<OAuthClient> {
  const sent = { clientId: query.clientId, redirectUri: query.redirectUri };
  const client = await findClientByClientId(query.clientId);
  if (!client) {
    throw new UntrustedAuthorizeRequestError(
      "invalid_client",
      "The client_id is not a registered client.",
      sent,
    );
  }
  // OAuth 2.1 §2.3.1 and RFC 9700 §4.1.3: exact string match, the defence against open redirects.
  if (!isRegisteredRedirectUri(client, query.redirectUri)) {
    throw new UntrustedAuthorizeRequestError(
      "invalid_redirect_uri",
      "The redirect_uri is not registered for this client.",
      sent,
    );
  }
  return client;
}

async function beginAuthorization(
  client: OAuthClient,
  params: AuthorizeParams,
  cookie: string | undefined,
  clientInfo: ClientInfo,
): Promise<AuthorizeOutcome> {
  const session = await reusableSession(cookie, params);
  const opening = openingFor(client, params, clientInfo);
  const detail = {
    client_name: client.name,
    scopes: params.scopes,
    response_type: "code",
    prompt: params.prompt,
    max_age: params.maxAge ?? null,
    login_hint: params.loginHint ?? null,
    redirect_uri: params.redirectUri,
    session_found: session !== undefined,
  };
  // OIDC Core §3.1.2.1: prompt=none must not show any UI; without a session it fails at once.
  if (params.prompt.includes("none") && !session) {
    const description = "prompt=none was requested but the user must sign in";
    await db.transaction(async (tx) => {
      const opened = await openAuthRequest(tx, opening, detail);
      await failAuthRequest(tx, opened.id, "login_required", { description });
    });
    return redirectError(params, "login_required", description);
  }
  const opened = await db.transaction((tx) => openAuthRequest(tx, opening, detail));
  if (session && cookie) {
    const completed = await completeAuthorization({
      authRequestId: opened.id,
      userId: session.userId,
      authMethod: "session",
      sessionCookie: cookie,
    });
    return { kind: "redirect", location: completed.redirectTo };
  }
  const signIn = new URL(SIGN_IN_PATH, env.issuer);
  signIn.searchParams.set("auth_request", opened.id);
  return { kind: "redirect", location: signIn.toString() };
}

/**
 * A live session may answer the request without sign-in unless the client asked for a fresh
 * one: prompt=login or select_account, or an authentication older than max_age (OIDC Core
 * §3.1.2.1).
 */
async function reusableSession(
  cookie: string | undefined,
  params: AuthorizeParams,
  now: Date = new Date(),
): Promise<Session | undefined> {
  if (params.prompt.includes("login") || params.prompt.includes("select_account")) return undefined;
  const session = await readSession(cookie);
  if (!session) return undefined;
  if (params.maxAge !== undefined) {
    const ageMs = now.getTime() - session.authTime.getTime();
    if (ageMs > params.maxAge * 1000) return undefined;
  }
  // A session can outlive its user; such a session answers nothing.
  return (await findUser(session.userId)) ? session : undefined;
}

function openingFor(
  client: OAuthClient,
  params: AuthorizeParams,
  clientInfo: ClientInfo,
): AuthRequestOpening {
  return {
    clientId: client.clientId,
    organizationId: client.organizationId,
    redirectUri: params.redirectUri,
    scope: joinScope(params.scopes),
    state: params.state ?? null,
    nonce: params.nonce ?? null,
    codeChallenge: params.codeChallenge,
    codeChallengeMethod: params.codeChallengeMethod,
    prompt: params.prompt.length > 0 ? joinScope(params.prompt) : null,
    loginHint: params.loginHint ?? null,
    ip: clientInfo.ip,
    userAgent: clientInfo.userAgent,
  };
}

async function refuseByRedirect(
  client: OAuthClient,
  query: AuthorizeQuery,
  state: string | undefined,
  error: OAuthError,
  clientInfo: ClientInfo,
): Promise<AuthorizeOutcome> {
  await recordRejectedAuthRequest(
    {
      clientId: client.clientId,
      organizationId: client.organizationId,
      redirectUri: query.redirectUri,
      scope: loggable(query.params.get("scope")),
      state: state ?? null,
      prompt: loggable(query.params.get("prompt")),
      ip: clientInfo.ip,
      userAgent: clientInfo.userAgent,
    },
    error.reason ?? "invalid_request",
    { description: error.description, detail: { client_name: client.name, error: error.error } },
  );
  const location = authorizationErrorRedirect({
    redirectUri: query.redirectUri,
    error: error.error,
    description: error.description,
    state,
  });
  return { kind: "redirect", location };
}

function redirectError(
  params: AuthorizeParams,
  error: OAuthError["error"],
  description: string,
): AuthorizeOutcome {
  const location = authorizationErrorRedirect({
    redirectUri: params.redirectUri,
    error,
    description,
    state: params.state,
  });
  return { kind: "redirect", location };
}

async function refuseWithPage(
  error: UntrustedAuthorizeRequestError,
  clientInfo: ClientInfo,
): Promise<AuthorizeOutcome> {
  const logged = await recordRejectedAuthRequest(
    {
      clientId: loggable(error.sent.clientId, 255),
      redirectUri: loggable(error.sent.redirectUri),
      ip: clientInfo.ip,
      userAgent: clientInfo.userAgent,
    },
    error.reason,
    { description: error.message },
  );
  return { kind: "error_page", status: 400, page: { ...pageFor(error), reference: logged.id } };
}

function pageFor(error: UntrustedAuthorizeRequestError): Omit<ErrorPage, "reference"> {
  const { clientId, redirectUri } = error.sent;
  switch (error.reason) {
    case "invalid_client":
      return {
        title: "Unknown application",
        message: clientId
          ? `The application that sent you here identified itself as "${clientId}", which is not registered with Gatehouse.`
          : "The sign-in link does not say which application it is for (client_id is missing).",
        checks: [
          "The client_id configured in the application matches one listed under Applications in Gatehouse.",
          "The sign-in link was not cut short or edited on the way.",
        ],
      };
    case "invalid_redirect_uri":
      return {
        title: "Return address not allowed",
        message: redirectUri
          ? `The application asked to send you back to "${redirectUri}", which is not one of its registered redirect URIs, so Gatehouse will not send you there.`
          : "The sign-in link does not say where to send you back to (redirect_uri is missing).",
        checks: [
          "The redirect_uri must match a registered redirect URI exactly: scheme, host, letter case, port, path and trailing slash.",
          "Register the URI for the application in Gatehouse, or fix the redirect_uri the application sends.",
        ],
      };
    default:
      return {
        title: "Malformed sign-in request",
        message: error.message,
        checks: [
          "Each parameter appears once in the authorization URL.",
          "The authorization URL is shorter than 8 KiB.",
        ],
      };
  }
}
