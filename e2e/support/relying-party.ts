import * as oauth from "oauth4webapi";
import { E2E_BASE_URL } from "./constants";

/**
 * A relying party built on oauth4webapi (a certified OpenID client library): it discovers
 * Gatehouse, starts the authorization code flow with PKCE, and validates every response.
 */
export class RelyingParty {
  private constructor(
    readonly server: oauth.AuthorizationServer,
    readonly client: oauth.Client,
    private readonly clientAuth: oauth.ClientAuth,
    readonly redirectUri: string,
  ) {}

  static async discover(
    registration: { client_id: string; client_secret?: string },
    redirectUri: string,
  ): Promise<RelyingParty> {
    const issuer = new URL(E2E_BASE_URL);
    const options = { [oauth.allowInsecureRequests]: true };
    const server = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { ...options, algorithm: "oidc" }),
    );
    const clientAuth = registration.client_secret
      ? oauth.ClientSecretBasic(registration.client_secret)
      : oauth.None();
    return new RelyingParty(server, { client_id: registration.client_id }, clientAuth, redirectUri);
  }

  async startSignIn(scope = "openid email profile offline_access"): Promise<SignInAttempt> {
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(this.server.authorization_endpoint as string);
    url.search = new URLSearchParams({
      client_id: this.client.client_id,
      redirect_uri: this.redirectUri,
      response_type: "code",
      scope,
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
    }).toString();
    return { url: url.toString(), codeVerifier, state, nonce };
  }

  /** Validates the callback (state, iss per RFC 9207), exchanges the code, validates the ID token. */
  async finishSignIn(attempt: SignInAttempt, callbackUrl: string) {
    const params = oauth.validateAuthResponse(
      this.server,
      this.client,
      new URL(callbackUrl),
      attempt.state,
    );
    const response = await oauth.authorizationCodeGrantRequest(
      this.server,
      this.client,
      this.clientAuth,
      params,
      this.redirectUri,
      attempt.codeVerifier,
      { [oauth.allowInsecureRequests]: true },
    );
    const tokens = await oauth.processAuthorizationCodeResponse(
      this.server,
      this.client,
      response,
      {
        expectedNonce: attempt.nonce,
        requireIdToken: true,
      },
    );
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    if (!claims) throw new Error("No ID token");
    return { tokens, claims };
  }

  async userInfo(accessToken: string, subject: string) {
    const response = await oauth.userInfoRequest(this.server, this.client, accessToken, {
      [oauth.allowInsecureRequests]: true,
    });
    return oauth.processUserInfoResponse(this.server, this.client, subject, response);
  }

  async refresh(refreshToken: string) {
    const response = await oauth.refreshTokenGrantRequest(
      this.server,
      this.client,
      this.clientAuth,
      refreshToken,
      { [oauth.allowInsecureRequests]: true },
    );
    return oauth.processRefreshTokenResponse(this.server, this.client, response);
  }
}

export type SignInAttempt = { url: string; codeVerifier: string; state: string; nonce: string };
