import { desc, eq } from "drizzle-orm";
import { expect } from "vitest";
import { GET as authorizeRoute } from "@/app/oauth/authorize/route";
import { POST as revokeRoute } from "@/app/oauth/revoke/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { GET as userinfoRoute } from "@/app/oauth/userinfo/route";
import type { AuthMethod } from "@/constants/auth-logs";
import { authRequests } from "@/db/schema";
import { getAuthRequestWithEvents } from "@/lib/auth-logs/journey";
import { insertClient } from "@/lib/clients";
import { db } from "@/lib/db";
import { newSecret } from "@/lib/ids";
import { completeAuthorization } from "@/lib/oauth/authorization";
import { s256CodeChallenge } from "@/lib/oauth/pkce";
import { createTestUser, uniqueSuffix } from "@/tests/support/factories";

/** Drives the protocol routes in-process, the way a relying party and a browser would. */
export const ISSUER = "http://localhost:3000";
export const REDIRECT_URI = "https://app.example.com/callback";
export const POST_LOGOUT_URI = "https://app.example.com/signed-out";

export type TestClient = {
  clientId: string;
  secret: string | null;
  name: string;
};

export async function registerClient(
  options: { type?: "confidential" | "public"; redirectUris?: string[] } = {},
): Promise<TestClient> {
  const { client, clientSecret } = await insertClient(db, {
    name: `App ${uniqueSuffix()}`,
    type: options.type ?? "confidential",
    redirectUris: options.redirectUris ?? [REDIRECT_URI],
    postLogoutRedirectUris: [POST_LOGOUT_URI],
  });
  return { clientId: client.clientId, secret: clientSecret, name: client.name };
}

export async function registerUser() {
  const { user } = await createTestUser({ password: null, name: "Ada Lovelace" });
  return user;
}

export function pkcePair() {
  const verifier = newSecret(48);
  return { verifier, challenge: s256CodeChallenge(verifier) };
}

export type Params = Record<string, string> | [string, string][];

export function authorizeParams(client: TestClient, overrides: Record<string, string | null> = {}) {
  const pkce = pkcePair();
  const base: Record<string, string | null> = {
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: REDIRECT_URI,
    scope: "openid profile email offline_access",
    state: `state-${uniqueSuffix()}`,
    nonce: `nonce-${uniqueSuffix()}`,
    code_challenge: pkce.challenge,
    code_challenge_method: "S256",
    ...overrides,
  };
  const params = Object.fromEntries(
    Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== null),
  );
  return { params, verifier: pkce.verifier };
}

export function callAuthorize(
  params: Params | string,
  init: { cookie?: string } = {},
): Promise<Response> {
  const query = typeof params === "string" ? params : new URLSearchParams(params).toString();
  const headers = new Headers({ "user-agent": "vitest", "x-forwarded-for": "203.0.113.7" });
  if (init.cookie) headers.set("cookie", `gatehouse_session=${init.cookie}`);
  return authorizeRoute(new Request(`${ISSUER}/oauth/authorize?${query}`, { headers }));
}

/** Starts a flow that should reach the sign-in page; returns its auth request id. */
export async function beginFlow(client: TestClient, overrides: Record<string, string | null> = {}) {
  const { params, verifier } = authorizeParams(client, overrides);
  const response = await callAuthorize(params);
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get("location") ?? "");
  expect(location.pathname).toBe("/sign-in");
  const authRequestId = location.searchParams.get("auth_request") ?? "";
  return { authRequestId, verifier, params };
}

export async function signIn(
  authRequestId: string,
  userId: string,
  authMethod: AuthMethod = "password",
) {
  const result = await completeAuthorization({ authRequestId, userId, authMethod });
  const redirect = new URL(result.redirectTo);
  return { code: redirect.searchParams.get("code") ?? "", redirect, session: result.session };
}

/** A flow up to a fresh code. */
export async function codeFor(client: TestClient, overrides: Record<string, string | null> = {}) {
  const user = await registerUser();
  const flow = await beginFlow(client, overrides);
  const { code, session } = await signIn(flow.authRequestId, user.id);
  return { ...flow, code, user, session };
}

export type TokenCall = {
  form: Params | string;
  basic?: [string, string];
  contentType?: string;
  headers?: Record<string, string>;
};

export async function callToken(call: TokenCall) {
  const response = await tokenRoute(formRequest("/oauth/token", call));
  return { response, status: response.status, body: await response.json() };
}

export async function callRevoke(call: TokenCall) {
  const response = await revokeRoute(formRequest("/oauth/revoke", call));
  return { response, status: response.status };
}

export async function callUserinfo(accessToken?: string) {
  const headers = new Headers();
  if (accessToken) headers.set("authorization", `Bearer ${accessToken}`);
  const response = await userinfoRoute(new Request(`${ISSUER}/oauth/userinfo`, { headers }));
  return { response, status: response.status, body: await response.json() };
}

/** Exchanges a code the way a confidential client does (client_secret_basic). */
export function exchangeCode(
  client: TestClient,
  code: string,
  verifier: string,
  overrides: Record<string, string> = {},
) {
  return callToken({
    form: {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      ...overrides,
    },
    basic: client.secret ? [client.clientId, client.secret] : undefined,
  });
}

export function refresh(
  client: TestClient,
  refreshToken: string,
  extra: Record<string, string> = {},
) {
  return callToken({
    form: { grant_type: "refresh_token", refresh_token: refreshToken, ...extra },
    basic: client.secret ? [client.clientId, client.secret] : undefined,
  });
}

export function basicHeader(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString("base64")}`;
}

export function authLog(authRequestId: string) {
  return getAuthRequestWithEvents(authRequestId);
}

/** The newest auth request logged for a client_id (each test uses its own client). */
export async function latestAuthRequestFor(clientId: string) {
  const [latest] = await db
    .select()
    .from(authRequests)
    .where(eq(authRequests.clientId, clientId))
    .orderBy(desc(authRequests.createdAt), desc(authRequests.id))
    .limit(1);
  if (!latest) throw new Error(`No auth request for ${clientId}`);
  return getAuthRequestWithEvents(latest.id);
}

function formRequest(path: string, call: TokenCall): Request {
  const headers = new Headers(call.headers);
  headers.set("content-type", call.contentType ?? "application/x-www-form-urlencoded");
  if (call.basic) headers.set("authorization", basicHeader(...call.basic));
  const body =
    typeof call.form === "string" ? call.form : new URLSearchParams(call.form).toString();
  return new Request(`${ISSUER}${path}`, { method: "POST", headers, body });
}
