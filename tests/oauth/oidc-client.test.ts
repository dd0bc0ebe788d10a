import * as oauth from "oauth4webapi";
import { describe, expect, it } from "vitest";
import { GET as discoveryRoute } from "@/app/.well-known/openid-configuration/route";
import { GET as authorizeRoute } from "@/app/oauth/authorize/route";
import { GET as jwksRoute } from "@/app/oauth/jwks/route";
import { POST as revokeRoute } from "@/app/oauth/revoke/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { GET as userinfoGet, POST as userinfoPost } from "@/app/oauth/userinfo/route";
import { completeAuthorization } from "@/lib/oauth/authorization";
import { ISSUER, REDIRECT_URI, registerClient, registerUser } from "./support";

/**
 * Gatehouse seen by an independent, strict OAuth 2 / OIDC client library (oauth4webapi): it
 * checks discovery, the RFC 9207 iss parameter, token and ID token validation (nonce, at_hash
 * is not required of it but iss/aud/exp are), userinfo, RFC 9068 access tokens, refresh and
 * revocation. Requests reach the route handlers in-process through customFetch.
 */
const routes: Record<string, (request: Request) => Response | Promise<Response>> = {
  "/.well-known/openid-configuration": () => discoveryRoute(),
  "/oauth/jwks": () => jwksRoute(),
  "/oauth/token": tokenRoute,
  "/oauth/userinfo": (request) =>
    request.method === "POST" ? userinfoPost(request) : userinfoGet(request),
  "/oauth/revoke": revokeRoute,
};

const options = {
  [oauth.allowInsecureRequests]: true,
  [oauth.customFetch]: async (url: string, init: oauth.CustomFetchOptions<string, unknown>) => {
    const route = routes[new URL(url).pathname];
    if (!route) throw new Error(`No route for ${url}`);
    return route(new Request(url, init as RequestInit));
  },
};

async function discover() {
  const issuer = new URL(ISSUER);
  const response = await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...options });
  return oauth.processDiscoveryResponse(issuer, response);
}

async function authorize(
  as: oauth.AuthorizationServer,
  clientId: string,
  extra: Record<string, string> = {},
) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint ?? "");
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: "openid email profile offline_access",
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  }).toString();
  const response = await authorizeRoute(new Request(url));
  return { response, verifier, state, nonce };
}

describe("an independent OIDC client (oauth4webapi)", () => {
  it("completes discovery, code flow, userinfo, JWT access token validation, refresh and revocation", async () => {
    const registered = await registerClient();
    const user = await registerUser();
    const as = await discover();
    const client: oauth.Client = { client_id: registered.clientId };
    const clientAuth = oauth.ClientSecretBasic(registered.secret ?? "");

    const { response, verifier, state, nonce } = await authorize(as, client.client_id);
    const signIn = new URL(response.headers.get("location") ?? "");
    const authRequestId = signIn.searchParams.get("auth_request") ?? "";
    const { redirectTo } = await completeAuthorization({
      authRequestId,
      userId: user.id,
      authMethod: "password",
    });

    const callback = oauth.validateAuthResponse(as, client, new URL(redirectTo), state);
    const tokenResponse = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuth,
      callback,
      REDIRECT_URI,
      verifier,
      options,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenResponse, {
      expectedNonce: nonce,
      requireIdToken: true,
    });
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    expect(claims?.sub).toBe(user.id);

    const userinfo = await oauth.processUserInfoResponse(
      as,
      client,
      user.id,
      await oauth.userInfoRequest(as, client, tokens.access_token, options),
    );
    expect(userinfo.email).toBe(user.email);

    const accessTokenClaims = await oauth.validateJwtAccessToken(
      as,
      new Request("https://api.example.com/", {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      }),
      client.client_id,
      options,
    );
    expect(accessTokenClaims.client_id).toBe(client.client_id);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(
        as,
        client,
        clientAuth,
        tokens.refresh_token ?? "",
        options,
      ),
    );
    expect(oauth.getValidatedIdTokenClaims(refreshed)?.sub).toBe(user.id);

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, clientAuth, refreshed.refresh_token ?? "", options),
    );
    await expect(
      oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(
          as,
          client,
          clientAuth,
          refreshed.refresh_token ?? "",
          options,
        ),
      ),
    ).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("works for a public client (token_endpoint_auth_method none)", async () => {
    const registered = await registerClient({ type: "public" });
    const user = await registerUser();
    const as = await discover();
    const client: oauth.Client = {
      client_id: registered.clientId,
      token_endpoint_auth_method: "none",
    };
    const { response, verifier, state, nonce } = await authorize(as, client.client_id);
    const authRequestId =
      new URL(response.headers.get("location") ?? "").searchParams.get("auth_request") ?? "";
    const { redirectTo } = await completeAuthorization({
      authRequestId,
      userId: user.id,
      authMethod: "email_code",
    });
    const callback = oauth.validateAuthResponse(as, client, new URL(redirectTo), state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(
        as,
        client,
        oauth.None(),
        callback,
        REDIRECT_URI,
        verifier,
        options,
      ),
      { expectedNonce: nonce, requireIdToken: true },
    );
    expect(tokens.token_type).toBe("bearer");
  });

  it("receives authorization errors with the iss parameter it checks (RFC 9207)", async () => {
    const registered = await registerClient();
    const as = await discover();
    const client: oauth.Client = { client_id: registered.clientId };
    const { response, state } = await authorize(as, client.client_id, { prompt: "none" });
    const callback = new URL(response.headers.get("location") ?? "");
    expect(() => oauth.validateAuthResponse(as, client, callback, state)).toThrow(
      expect.objectContaining({ error: "login_required" }),
    );
  });
});
