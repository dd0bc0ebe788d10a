import { expect, type Page, test } from "@playwright/test";
import { createRemoteJWKSet, jwtVerify } from "jose";
import {
  authLog,
  authLogsFor,
  createClient,
  createTenant,
  createUser,
  latestEmailCode,
  uniqueName,
} from "./support/api";
import { E2E_BASE_URL } from "./support/constants";
import { RelyingParty } from "./support/relying-party";

// The relying party's callback: no server listens there; the test catches the navigation.
const CALLBACK = "http://localhost:3999/callback";

async function catchCallback(page: Page): Promise<() => Promise<string>> {
  let resolveUrl: (url: string) => void = () => {};
  const reached = new Promise<string>((resolve) => {
    resolveUrl = resolve;
  });
  await page.route("http://localhost:3999/**", async (route) => {
    resolveUrl(route.request().url());
    await route.fulfill({ status: 200, contentType: "text/plain", body: "signed in" });
  });
  return () => reached;
}

async function expectCompleteJourney(email: string, method: string) {
  const [entry] = await authLogsFor(email);
  expect(entry, `an auth log for ${email}`).toBeDefined();
  const detail = await authLog(entry?.id ?? "");
  expect(detail.status).toBe("success");
  expect(detail.auth_method).toBe(method);
  const types = detail.events?.map((event) => event.type) ?? [];
  for (const step of [
    "authorize_received",
    "user_identified",
    "credentials_verified",
    "code_issued",
    "code_exchanged",
  ]) {
    expect(types, `journey of ${email}`).toContain(step);
  }
  const statuses = (detail.events ?? []).flatMap((event) => (event.status ? [event.status] : []));
  expect(statuses[0]).toBe("initiated");
  expect(statuses).toContain("pending");
  expect(statuses.at(-1)).toBe("success");
}

test.describe("authorization code flow with PKCE through the hosted sign-in", () => {
  // A route handler still registered when the context closes can stall its teardown.
  test.afterEach(async ({ page }) => {
    await page.unrouteAll({ behavior: "ignoreErrors" });
  });

  test("password sign-in: tokens validate, userinfo answers, refresh rotates, the log reads Success", async ({
    page,
  }) => {
    const tenant = await createTenant();
    const password = `pw-${uniqueName()}-long`;
    const user = await createUser(tenant, { password });
    const registration = await createClient("confidential", CALLBACK);
    const rp = await RelyingParty.discover(registration, CALLBACK);
    const attempt = await rp.startSignIn();
    const callback = await catchCallback(page);

    await page.goto(attempt.url);
    await page.getByLabel("Email").fill(user.email.toUpperCase());
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();

    const { tokens, claims } = await rp.finishSignIn(attempt, await callback());
    expect(claims.sub).toBe(user.id);
    expect(claims.iss).toBe(E2E_BASE_URL);
    expect(claims.nonce).toBe(attempt.nonce);

    // The ID token's signature, checked independently against the published JWKS.
    const jwks = createRemoteJWKSet(new URL(rp.server.jwks_uri as string));
    const verified = await jwtVerify(tokens.id_token as string, jwks, {
      issuer: E2E_BASE_URL,
      audience: registration.client_id,
    });
    expect(verified.protectedHeader.alg).toBe("RS256");

    const profile = await rp.userInfo(tokens.access_token, user.id);
    expect(profile.email).toBe(user.email);

    const refreshed = await rp.refresh(tokens.refresh_token as string);
    expect(refreshed.refresh_token).toBeDefined();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // The rotated token is spent: presenting it again is refused.
    await expect(rp.refresh(tokens.refresh_token as string)).rejects.toThrow();

    await expectCompleteJourney(user.email, "password");
  });

  test("passwordless email code sign-in for a public client", async ({ page }) => {
    const tenant = await createTenant();
    const user = await createUser(tenant);
    const registration = await createClient("public", CALLBACK);
    const rp = await RelyingParty.discover(registration, CALLBACK);
    const attempt = await rp.startSignIn("openid email");
    const callback = await catchCallback(page);

    await page.goto(attempt.url);
    await page.getByLabel("Email").fill(user.email);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Email me a code" }).click();
    await page.getByLabel("Code").fill(await latestEmailCode(user.email));
    await page.getByRole("button", { name: "Verify" }).click();

    const { tokens, claims } = await rp.finishSignIn(attempt, await callback());
    expect(claims.sub).toBe(user.id);
    expect(tokens.refresh_token).toBeUndefined();
    await expectCompleteJourney(user.email, "email_code");
  });

  test("a wrong password is logged as Failure and the user can try again", async ({ page }) => {
    const tenant = await createTenant();
    const password = `pw-${uniqueName()}-long`;
    const user = await createUser(tenant, { password });
    const registration = await createClient("confidential", CALLBACK);
    const rp = await RelyingParty.discover(registration, CALLBACK);
    const attempt = await rp.startSignIn("openid");
    const callback = await catchCallback(page);

    await page.goto(attempt.url);
    await page.getByLabel("Email").fill(user.email);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText(/wrong email or password/i)).toBeVisible();
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await rp.finishSignIn(attempt, await callback());

    const logs = await authLogsFor(user.email);
    expect(logs.map((log) => log.status).sort()).toEqual(["failure", "success"]);
    expect(logs.find((log) => log.status === "failure")?.error_code).toBe("invalid_credentials");
  });
});
