import { MissingBearerTokenError, OAuthError } from "./errors";
import { type ErrorPage, renderErrorPage } from "./pages";

/**
 * The edge of the protocol surface: each function turns a result or a thrown error into the
 * response format its endpoint speaks. Anything that is not an OAuthError is unexpected, logged,
 * and answered with the endpoint's own server_error, never an HTML 500 from the framework.
 */

// RFC 6749 §5.1: responses carrying tokens or credentials must not be cached.
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };
// Token, userinfo, revocation and metadata are called from browser apps (public clients). No
// cookie is read on these endpoints, so any origin may call them.
export const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "Authorization, Content-Type",
  "Access-Control-Expose-Headers": "WWW-Authenticate",
};
const BASIC_CHALLENGE = 'Basic realm="gatehouse", charset="UTF-8"';

export function jsonResponse(
  body: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  return Response.json(body, {
    status: init.status ?? 200,
    headers: { ...NO_STORE, ...CORS_HEADERS, ...init.headers },
  });
}

/** Metadata anyone may fetch and cache briefly (discovery, JWKS). */
export function publicJsonResponse(body: unknown, maxAgeSeconds: number): Response {
  return Response.json(body, {
    headers: { ...CORS_HEADERS, "Cache-Control": `public, max-age=${maxAgeSeconds}` },
  });
}

/** RFC 6749 §5.2 error for the token and revocation endpoints. */
export function tokenErrorResponse(error: unknown, endpoint: string): Response {
  const known = asOAuthError(error, endpoint);
  // §5.2: invalid_client is 401 with a challenge naming the scheme we accept (HTTP Basic).
  const isClientError = known.error === "invalid_client";
  return jsonResponse(
    { error: known.error, error_description: known.description },
    {
      status: known.error === "server_error" ? 500 : isClientError ? 401 : 400,
      headers: isClientError ? { "WWW-Authenticate": BASIC_CHALLENGE } : {},
    },
  );
}

/** RFC 6750 §3: errors in the WWW-Authenticate challenge (and, as a courtesy, the body). */
export function bearerErrorResponse(error: unknown, endpoint: string): Response {
  const known = asOAuthError(error, endpoint);
  if (known.error === "server_error") {
    return jsonResponse(
      { error: known.error, error_description: known.description },
      { status: 500 },
    );
  }
  if (known instanceof MissingBearerTokenError) {
    return jsonResponse(
      { error: "invalid_token", error_description: known.description },
      { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="gatehouse"' } },
    );
  }
  // §3.1: invalid_request 400, invalid_token 401, insufficient_scope 403.
  const status =
    known.error === "insufficient_scope" ? 403 : known.error === "invalid_request" ? 400 : 401;
  const challenge = `Bearer realm="gatehouse", error="${known.error}", error_description="${quoted(known.description)}"`;
  return jsonResponse(
    { error: known.error, error_description: known.description },
    { status, headers: { "WWW-Authenticate": challenge } },
  );
}

/** HTML for browser-facing endpoints; locked down since it may echo request values. */
export function htmlResponse(
  html: string,
  init: { status?: number; headers?: HeadersInit } = {},
): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "text/html; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  headers.set(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  );
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "no-referrer");
  return new Response(html, { status: init.status ?? 200, headers });
}

export function errorPageResponse(page: ErrorPage, status = 400): Response {
  return htmlResponse(renderErrorPage(page), { status });
}

/** 303 so the browser follows with GET whatever method brought it here (OAuth 2.1 §7.5.2). */
export function redirectResponse(location: string, headers: HeadersInit = {}): Response {
  const merged = new Headers(headers);
  merged.set("Location", location);
  merged.set("Cache-Control", "no-store");
  merged.set("Referrer-Policy", "no-referrer");
  return new Response(null, { status: 303, headers: merged });
}

export function preflightResponse(methods: string): Response {
  return new Response(null, {
    status: 204,
    headers: { ...CORS_HEADERS, "Access-Control-Allow-Methods": methods },
  });
}

/** The page shown when a browser-facing endpoint fails unexpectedly. */
export const SERVER_ERROR_PAGE: ErrorPage = {
  title: "Something went wrong",
  message: "Gatehouse could not process this request. Please try again in a moment.",
  checks: ["If this keeps happening, the server log has the details."],
};

export function logUnexpected(endpoint: string, error: unknown): void {
  console.error(`Unexpected error at ${endpoint}`, error);
}

function asOAuthError(error: unknown, endpoint: string): OAuthError {
  if (error instanceof OAuthError) return error;
  logUnexpected(endpoint, error);
  return new OAuthError("server_error", "The server could not process the request");
}

function quoted(text: string): string {
  return text.replace(/["\\]/g, "'");
}
