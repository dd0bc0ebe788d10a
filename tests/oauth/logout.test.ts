import { describe, expect, it } from "vitest";
import { GET as logoutGet, POST as logoutPost } from "@/app/oauth/logout/route";
import { readSession } from "@/lib/sessions";
import {
  codeFor,
  exchangeCode,
  ISSUER,
  POST_LOGOUT_URI,
  registerClient,
  type TestClient,
} from "./support";

/** OIDC RP-Initiated Logout 1.0 at /oauth/logout. */

async function signedIn(client: TestClient) {
  const flow = await codeFor(client);
  const tokens = (await exchangeCode(client, flow.code, flow.verifier)).body;
  return { cookie: flow.session.value, idToken: tokens.id_token as string };
}

function get(params: Record<string, string>, cookie?: string) {
  const headers = new Headers();
  if (cookie) headers.set("cookie", `gatehouse_session=${cookie}`);
  return logoutGet(
    new Request(`${ISSUER}/oauth/logout?${new URLSearchParams(params)}`, { headers }),
  );
}

function post(params: Record<string, string>, cookie: string, origin = ISSUER) {
  return logoutPost(
    new Request(`${ISSUER}/oauth/logout`, {
      method: "POST",
      headers: {
        cookie: `gatehouse_session=${cookie}`,
        "content-type": "application/x-www-form-urlencoded",
        origin,
      },
      body: new URLSearchParams(params).toString(),
    }),
  );
}

describe("end session", () => {
  it("ends the session at once for a valid id_token_hint and returns to the registered URI", async () => {
    const client = await registerClient();
    const { cookie, idToken } = await signedIn(client);
    const response = await get(
      { id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT_URI, state: "bye" },
      cookie,
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${POST_LOGOUT_URI}?state=bye`);
    expect(response.headers.get("set-cookie")).toMatch(
      /^gatehouse_session=; Path=\/; Expires=Thu, 01 Jan 1970/,
    );
    expect(await readSession(cookie)).toBeUndefined();
  });

  it("asks before ending the session when no id_token_hint names the user", async () => {
    const client = await registerClient();
    const { cookie } = await signedIn(client);
    const ask = await get(
      { client_id: client.clientId, post_logout_redirect_uri: POST_LOGOUT_URI },
      cookie,
    );
    expect(ask.status).toBe(200);
    const html = await ask.text();
    expect(html).toContain('name="confirm" value="yes"');
    expect(html).toContain(client.name);
    expect(await readSession(cookie)).toBeDefined();

    // A cross-site POST claiming confirmation is not an answer from the user.
    const forged = await post(
      { client_id: client.clientId, confirm: "yes" },
      cookie,
      "https://evil.example",
    );
    expect(forged.status).toBe(200);
    expect(await readSession(cookie)).toBeDefined();

    const confirmed = await post(
      { client_id: client.clientId, post_logout_redirect_uri: POST_LOGOUT_URI, confirm: "yes" },
      cookie,
    );
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe(POST_LOGOUT_URI);
    expect(await readSession(cookie)).toBeUndefined();
  });

  it("does not accept a GET with confirm=yes (a link could carry it)", async () => {
    const client = await registerClient();
    const { cookie } = await signedIn(client);
    const response = await get({ confirm: "yes" }, cookie);
    expect(response.status).toBe(200);
    expect(await readSession(cookie)).toBeDefined();
  });

  it("shows the signed-out page without a redirect URI", async () => {
    const response = await get({});
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("You are signed out");
    expect(response.headers.get("set-cookie")).toContain("gatehouse_session=;");
  });

  it("refuses an unregistered post_logout_redirect_uri with a page, not a redirect", async () => {
    const client = await registerClient();
    const { cookie, idToken } = await signedIn(client);
    const response = await get(
      { id_token_hint: idToken, post_logout_redirect_uri: "https://evil.example/" },
      cookie,
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await readSession(cookie)).toBeDefined();
  });

  it("refuses a post_logout_redirect_uri without a client to check it against", async () => {
    const response = await get({ post_logout_redirect_uri: POST_LOGOUT_URI });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });

  it("refuses control characters in its parameters", async () => {
    const response = await get({ state: "a\u0000b" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });

  it("refuses an id_token_hint that is not ours", async () => {
    const response = await get({ id_token_hint: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." });
    expect(response.status).toBe(400);
  });

  it("refuses a client_id that contradicts the id_token_hint", async () => {
    const client = await registerClient();
    const other = await registerClient();
    const { idToken } = await signedIn(client);
    const response = await get({ id_token_hint: idToken, client_id: other.clientId });
    expect(response.status).toBe(400);
  });
});
