import { type Browser, type BrowserContext, expect, type Page } from "@playwright/test";
import { E2E_BASE_URL } from "./constants";

/**
 * Signing in to the dashboard as a person does: the dashboard is an OIDC client of Gatehouse,
 * so opening a page leads through the hosted sign-in and back to that page.
 */

export type Credentials = { email: string; password: string };

/** Fills the hosted sign-in (email, then password) on the page it is showing. */
export async function signInAs(page: Page, who: Credentials): Promise<void> {
  await page.getByLabel("Email").fill(who.email);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A fresh browser context signed in as `who`, landing back on `path`. */
export async function signedIn(
  browser: Browser,
  path: string,
  who: Credentials,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: E2E_BASE_URL });
  const page = await context.newPage();
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in\?auth_request=areq_/);
  await signInAs(page, who);
  await expect(page).toHaveURL(`${E2E_BASE_URL}${path}`);
  return { context, page };
}
