import type { Browser, BrowserContext, Page } from "@playwright/test";
import {
  api,
  authLogsFor,
  createClient,
  createTenant,
  createUser,
  type TestTenant,
  uniqueName,
} from "./support/api";
import { E2E_ADMIN, E2E_BASE_URL } from "./support/constants";
import { signInAs } from "./support/dashboard";
import { test as base, expect } from "./support/fixtures";
import { RelyingParty } from "./support/relying-party";

/**
 * The Auth Logs dashboard, driven like an operator would: it signs in through Gatehouse's own
 * hosted sign-in (the dashboard is an OIDC client of the server it administers), filters, shares
 * a URL, drills into an entry. Every row it looks at comes from real sign-ins of applications
 * registered through the management API.
 */

// The bootstrap administrator the test server is started with (playwright.config.ts).
const ADMIN = E2E_ADMIN;
const CALLBACK = "http://localhost:3999/callback";

type SignIns = {
  tenant: TestTenant;
  other: TestTenant;
  /** Emails whose one sign-in succeeded, and failed (wrong password). */
  succeeded: string;
  failed: string;
  /** The auth log entry of a sign-in to the other tenant. */
  otherEntryId: string;
};

const test = base.extend<Record<never, never>, { signIns: SignIns }>({
  // Real application sign-ins, made once per worker: every test reads them, none changes them.
  signIns: [
    async ({ browser }, use) => {
      const tenant = await createTenant();
      const other = await createTenant();
      const password = `pw-${uniqueName()}-long`;
      const succeeded = await createUser(tenant, { password });
      const failed = await createUser(tenant, { password });
      const outsider = await createUser(other, { password });
      const context = await browser.newContext();
      const page = await context.newPage();
      await applicationSignIn(page, succeeded.email, password);
      await applicationSignIn(page, failed.email, "not-the-password");
      await applicationSignIn(page, outsider.email, password);
      await context.close();
      const [otherEntry] = await authLogsFor(outsider.email);
      await use({
        tenant,
        other,
        succeeded: succeeded.email,
        failed: failed.email,
        otherEntryId: otherEntry?.id ?? "",
      });
    },
    { scope: "worker" },
  ],
});

test("an operator signs in through Gatehouse and comes back to the filtered URL", async ({
  browser,
  signIns,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const wanted = `/auth-logs?email=${encodeURIComponent(signIns.succeeded)}`;
  await page.goto(wanted);
  await expect(page).toHaveURL(/\/sign-in\?auth_request=areq_/);
  await signInAs(page, ADMIN);
  await expect
    .poll(() => decodeURIComponent(page.url()))
    .toBe(decodeURIComponent(`${E2E_BASE_URL}${wanted}`));
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText(signIns.succeeded);
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(signIns.succeeded);
  await expect(rows(page).first().getByText("Success")).toBeVisible();

  // The dashboard's own sign-in is an auth log entry like any other.
  const [ownSignIn] = await authLogsFor(ADMIN.email);
  expect(ownSignIn?.status).toBe("success");
  await context.close();
});

test("filters combine, live in the URL, and the URL reproduces the view elsewhere", async ({
  browser,
  signIns,
}) => {
  const { context, page } = await signedInOperator(browser);
  await page.goto("/auth-logs");

  // Email: exact, any case. A wrong password ends one attempt in Failure and opens a retry.
  await page.getByLabel("Email", { exact: true }).fill(signIns.failed.toUpperCase());
  await page.getByLabel("Email", { exact: true }).press("Enter");
  await expect(page).toHaveURL(/email=/);
  await expect(rows(page)).toHaveCount((await authLogsFor(signIns.failed)).length);
  for (const text of await rows(page).allTextContents()) expect(text).toContain(signIns.failed);

  // Email prefix: the tenant's users all start with "user-".
  await page.getByLabel("Email", { exact: true }).fill("user-*");
  await page.getByLabel("Email", { exact: true }).press("Enter");
  await expect(page).toHaveURL(/email=user-\*/);

  // Organization: with the prefix, exactly the tenant's sign-ins.
  await page.getByRole("combobox", { name: "Organization" }).selectOption({
    label: signIns.tenant.name,
  });
  await expect(page).toHaveURL(new RegExp(`org=${signIns.tenant.organizationId}`));
  const tenantEntries = await api<{ data: { status: string }[] }>(
    "GET",
    `/auth-logs?organization_id=${signIns.tenant.organizationId}&email=user-*&limit=100`,
  );
  await expect(rows(page)).toHaveCount(tenantEntries.data.length);

  // Status: several at once, then one.
  await page.getByRole("button", { name: "Status", exact: true }).click();
  await page.getByRole("checkbox", { name: "Failure" }).check();
  await expect(page).toHaveURL(/status=failure/);
  await page.getByRole("checkbox", { name: "Success" }).check();
  await expect(page).toHaveURL(/status=success(%2C|,)failure/);
  const finished = tenantEntries.data.filter((entry) =>
    ["success", "failure"].includes(entry.status),
  );
  await expect(rows(page)).toHaveCount(finished.length);
  await page.getByRole("checkbox", { name: "Success" }).uncheck();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/status=failure(&|$)/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText(signIns.failed);
  await expect(rows(page).first().getByText("Failure")).toBeVisible();

  // Time range preset.
  await page.getByRole("combobox", { name: "Time range" }).selectOption({ label: "Last hour" });
  await expect(page).toHaveURL(/range=1h/);
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByTestId("match-count")).toHaveText("1 matching entry");

  const sharedUrl = page.url();
  for (const part of [
    "email=user-",
    "status=failure",
    "range=1h",
    `org=${signIns.tenant.organizationId}`,
  ]) {
    expect(sharedUrl).toContain(part);
  }
  const shownHere = await entryIds(page);

  // Back steps through the filters, forward returns.
  await page.goBack();
  await expect(page).not.toHaveURL(/range=1h/);
  await page.goForward();
  await expect(page).toHaveURL(/range=1h/);

  // Someone else (the same operator, a fresh browser) opens the shared URL.
  const second = await signedInOperator(browser, sharedUrl);
  await expect
    .poll(() => decodeURIComponent(second.page.url()))
    .toBe(decodeURIComponent(sharedUrl));
  await expect(rows(second.page)).toHaveCount(shownHere.length);
  expect(await entryIds(second.page)).toEqual(shownHere);
  await second.context.close();

  // A range that excludes everything says which filter did it.
  await page.getByRole("combobox", { name: "Time range" }).selectOption({ label: "Custom range…" });
  await expect(page).toHaveURL(/range=custom/);
  await page.getByLabel("From", { exact: true }).fill("2001-01-03T00:00:00");
  await page.getByLabel("To", { exact: true }).fill("2001-01-02T00:00:00");
  await expect(page.getByRole("alert").filter({ hasText: "To is before From" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Apply" })).toBeDisabled();
  await page.getByLabel("From", { exact: true }).fill("2001-01-01T00:00:00");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("heading", { name: "No entries match these filters" })).toBeVisible();
  await expect(
    page.getByText(/Time range: .* — without this filter there are matching entries/),
  ).toBeVisible();

  // The pickers cannot reverse a range; a URL edited by hand can, and the page says so.
  await page.goto(
    "/auth-logs?range=custom&from=2026-11-02T00:00:00.000Z&to=2026-11-01T00:00:00.000Z",
  );
  await expect(page.getByRole("heading", { name: "No entries match these filters" })).toBeVisible();
  await expect(page.getByText(/Time range: .*, which ends before it starts/)).toBeVisible();

  // What a hand-edited link got wrong is named, and the rest of it still applies.
  await page.goto(
    `/auth-logs?email=${encodeURIComponent(signIns.failed)}&status=failure,bogus&limit=1000000`,
  );
  const unusable = page.getByTestId("unusable-search-params");
  await expect(unusable).toContainText('Status "bogus" was ignored');
  await expect(unusable).toContainText('Page size "1000000" was ignored: use "25", "50" or "100".');
  await expect(rows(page)).toHaveCount(1);
  await page.goto(`/auth-logs?org=org_${uniqueName()}`);
  await expect(unusable).toContainText("is not one you can see, so no entries match it.");

  // Bounds without range=custom apply, and the time filter shows them as the custom range.
  await page.goto("/auth-logs?from=2001-01-01T00:00:00.000Z&to=2001-01-02T00:00:00.000Z");
  await expect(page.getByRole("combobox", { name: "Time range" })).toHaveValue("custom");
  await expect(page.getByLabel("From", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No entries match these filters" })).toBeVisible();

  // A page link past which nothing matches any more is not "no auth logs yet".
  const past = Buffer.from(
    // Before the earliest instant Gatehouse stores: nothing can follow it, whatever the data.
    JSON.stringify({ t: "0001-01-01T00:00:00.000000Z", i: "areq_00000000000000000000000000" }),
  ).toString("base64url");
  await page.goto(`/auth-logs?status=failure&cursor=${past}`);
  await expect(page.getByRole("heading", { name: "No entries on this page" })).toBeVisible();
  await page.getByRole("link", { name: "Newest entries" }).click();
  await expect(page).toHaveURL(`${E2E_BASE_URL}/auth-logs?status=failure`);
  await expect(rows(page).first()).toBeVisible();

  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect(page).toHaveURL(`${E2E_BASE_URL}/auth-logs`);
  // The button went away with the filters; focus did not fall back to the page.
  await expect(page.getByRole("combobox", { name: "Time range" })).toBeFocused();
  await context.close();
});

test("an entry's page shows its journey and explains the failure", async ({ browser, signIns }) => {
  const { context, page } = await signedInOperator(browser);
  await page.goto(`/auth-logs?email=${encodeURIComponent(signIns.failed)}&status=failure`);
  await expect(rows(page)).toHaveCount(1);
  await rows(page).first().getByRole("link").click();
  await expect(page).toHaveURL(/\/auth-logs\/areq_/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(signIns.failed);
  await expect(page.getByText("Failed: invalid_credentials", { exact: true })).toBeVisible();
  const timeline = page.getByRole("region", { name: "Timeline" });
  const steps = await timeline
    .locator("li[data-event-type]")
    .evaluateAll((items) => items.map((item) => item.getAttribute("data-event-type")));
  expect(steps[0]).toBe("authorize_received");
  expect(steps).toContain("user_identified");
  expect(steps.at(-1)).toBe("failed: invalid_credentials");
  await expect(page.locator("time[datetime]").first()).toHaveAttribute(
    "title",
    /\d{2}:\d{2}:\d{2}/,
  );
  await expect(page.getByRole("button", { name: "Copy share link" })).toBeVisible();
  // Back to the list it was opened from, filters and all.
  await page.getByRole("main").getByRole("link", { name: "Auth Logs", exact: true }).click();
  await expect(page).toHaveURL(/\/auth-logs\?/);
  expect(new URL(page.url()).searchParams.get("email")).toBe(signIns.failed);
  expect(new URL(page.url()).searchParams.get("status")).toBe("failure");
  await context.close();
});

test("times are shown in the reader's zone, and a row opens its entry without a page load", async ({
  browser,
  signIns,
}) => {
  const { context, page } = await signedInOperator(browser, "/auth-logs", "Asia/Kolkata");
  await page.goto(`/auth-logs?email=${encodeURIComponent(signIns.failed)}&status=failure`);
  await expect(rows(page)).toHaveCount(1);
  // The server writes UTC; the browser rewrites it into the reader's zone.
  await expect(rows(page).first().locator("time")).toHaveAttribute("title", /GMT\+5:30$/);
  // Nothing covers the time: hovering it reaches the element whose tooltip is the full time.
  const time = rows(page).first().locator("time");
  const box = await time.boundingBox();
  if (!box) throw new Error("the time is not laid out");
  const hovered = await page.evaluate(
    ({ x, y }) => document.elementFromPoint(x, y)?.closest("time")?.getAttribute("title") ?? null,
    { x: box.x + box.width / 2, y: box.y + box.height / 2 },
  );
  expect(hovered).toMatch(/GMT\+5:30$/);
  await page.evaluate(() => {
    (window as unknown as { stayedOnPage: boolean }).stayedOnPage = true;
  });
  // A click anywhere on the row opens it, not only on its link.
  await rows(page).first().locator("td").last().click();
  await expect(page).toHaveURL(/\/auth-logs\/areq_/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(signIns.failed);
  expect(
    await page.evaluate(() => (window as unknown as { stayedOnPage?: boolean }).stayedOnPage),
  ).toBe(true);
  // Absolute times (the journey's) switch zone in their text too.
  await expect(page.locator('time[data-local-time="absolute"]').first()).toHaveText(/GMT\+5:30$/);
  await context.close();
});

test("the chart stacks the view's entries by status, and names an interval's counts on hover", async ({
  browser,
  signIns,
}) => {
  const { context, page } = await signedInOperator(browser);
  const url = `/auth-logs?email=${encodeURIComponent(signIns.failed)}&status=failure`;
  // The server's HTML draws the bars; the hover targets are drawn once the page is interactive.
  const html = await (await context.request.get(url)).text();
  expect(html).toMatch(/<svg role="img" aria-label="1 entry in \d+ intervals of /);
  expect(html).toMatch(/<path d="M[^"]+" class="fill-destructive">/);
  expect(html).toMatch(/<path d="" class="fill-success">/);
  expect(html).not.toContain('class="hit"');

  await page.goto(url);
  const chart = page.getByRole("img", { name: /^1 entry in \d+ intervals of / });
  await expect(chart).toBeVisible();
  const intervals = Number(
    (await chart.getAttribute("aria-label"))?.match(/in (\d+) intervals/)?.[1],
  );
  const targets = chart.locator("rect.hit");
  await expect(targets).toHaveCount(intervals);
  const titles = await targets.locator("title").allTextContents();
  expect(titles.filter((title) => title.endsWith(": 1 (1 failure)"))).toHaveLength(1);
  expect(titles.filter((title) => title.endsWith(": 0"))).toHaveLength(intervals - 1);
  await context.close();
});

test("on a laptop split screen the list fits without scrolling sideways, keeping its key columns", async ({
  browser,
  signIns,
}) => {
  const { context, page } = await signedInOperator(browser);
  await page.setViewportSize({ width: 700, height: 900 });
  await page.goto(`/auth-logs?email=${encodeURIComponent(signIns.failed)}&status=failure`);
  await expect(rows(page)).toHaveCount(1);
  const fit = await page
    .locator("table")
    .evaluate((table) => table.scrollWidth - (table.parentElement?.clientWidth ?? 0));
  expect(fit).toBeLessThanOrEqual(0);
  for (const kept of ["Time", "Status", "User", "Summary"]) {
    await expect(page.getByRole("columnheader", { name: kept })).toBeVisible();
  }
  // The summary is cut short here; pointing at it shows the whole text.
  const summary = rows(page).first().locator("td").last();
  const text = (await summary.textContent()) ?? "";
  expect(await summary.evaluate((cell) => cell.scrollWidth > cell.clientWidth)).toBe(true);
  await summary.hover();
  await expect(summary).toHaveAttribute("title", text);
  // Only where it is cut: the server's HTML has no tooltips repeating what cells show.
  const html = await (await context.request.get(page.url())).text();
  expect(html).not.toMatch(/<td[^>]* title=/);
  await expect(page.getByRole("columnheader", { name: "Method" })).toBeHidden();
  // Wide again, every column is back.
  await page.setViewportSize({ width: 1400, height: 900 });
  await expect(page.getByRole("columnheader", { name: "Method" })).toBeVisible();
  await context.close();
});

test("an organization's admin sees only their organization; another's entry is not found", async ({
  browser,
  signIns,
}) => {
  const password = `pw-${uniqueName()}-long`;
  const admin = await api<{ email: string }>("POST", "/users", {
    email: `admin-${uniqueName()}@${signIns.tenant.domain}`,
    name: "Tenant Admin",
    password,
    organization_id: signIns.tenant.organizationId,
    role: "admin",
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/auth-logs");
  await signInAs(page, { email: admin.email, password });
  await expect(page).toHaveURL(`${E2E_BASE_URL}/auth-logs`);
  await expect(page.getByRole("combobox", { name: "Organization" })).toBeDisabled();
  await expect(
    page.getByRole("combobox", { name: "Organization" }).locator("option:checked"),
  ).toHaveText(signIns.tenant.name);
  const organizations = await rows(page).locator("td:nth-child(5)").allTextContents();
  expect(new Set(organizations)).toEqual(new Set([signIns.tenant.name]));

  const response = await page.goto(`/auth-logs/${signIns.otherEntryId}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Auth log entry not found" })).toBeVisible();

  // Naming the other organization in the URL shows nothing of it either.
  await page.goto(`/auth-logs?org=${signIns.other.organizationId}`);
  await expect(rows(page)).toHaveCount(0);
  await context.close();
});

test("a member without an admin role gets the no-access page, and can sign out from it", async ({
  browser,
  signIns,
}) => {
  const password = `pw-${uniqueName()}-long`;
  const member = await createUser(signIns.tenant, { password });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/auth-logs");
  await signInAs(page, { email: member.email, password });
  await expect(page).toHaveURL(`${E2E_BASE_URL}/no-access`);
  await expect(page.getByRole("heading", { name: /don't have access/ })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
  await page.goto("/auth-logs");
  await expect(page).toHaveURL(/\/sign-in\?auth_request=areq_/);
  await context.close();
});

test("signing out ends the dashboard session and the Gatehouse session", async ({ browser }) => {
  const { context, page } = await signedInOperator(browser);
  await page.goto("/auth-logs");
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signed-out/);
  await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
  // No silent sign-in: Gatehouse asks for credentials again.
  await page.goto("/auth-logs");
  await expect(page).toHaveURL(/\/sign-in\?auth_request=areq_/);
  await context.close();
});

function rows(page: Page) {
  return page.locator("tbody tr[data-entry-id]");
}

async function entryIds(page: Page): Promise<string[]> {
  return rows(page).evaluateAll((items) =>
    items.map((item) => item.getAttribute("data-entry-id") ?? ""),
  );
}

async function signedInOperator(
  browser: Browser,
  url = "/auth-logs",
  timezoneId?: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: E2E_BASE_URL, timezoneId });
  const page = await context.newPage();
  await page.goto(url);
  await signInAs(page, ADMIN);
  await expect(page).toHaveURL(new RegExp(`${E2E_BASE_URL}/auth-logs`));
  await expect(page.getByRole("heading", { name: "Auth Logs", level: 1 })).toBeVisible();
  return { context, page };
}

/** A real application sign-in through the hosted UI: success with the right password. */
async function applicationSignIn(page: Page, email: string, password: string) {
  const registration = await createClient("confidential", CALLBACK);
  const rp = await RelyingParty.discover(registration, CALLBACK);
  const attempt = await rp.startSignIn("openid email");
  let reached: (url: string) => void = () => {};
  const callback = new Promise<string>((resolve) => {
    reached = resolve;
  });
  await page.route("http://localhost:3999/**", async (route) => {
    reached(route.request().url());
    await route.fulfill({ status: 200, contentType: "text/plain", body: "signed in" });
  });
  await page.goto(attempt.url);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (password === "not-the-password") {
    await expect(page.getByText(/wrong email or password/i)).toBeVisible();
  } else {
    await rp.finishSignIn(attempt, await callback);
  }
  await page.unroute("http://localhost:3999/**");
  // A fresh Gatehouse session per user: sign the browser out of Gatehouse.
  await page.context().clearCookies();
}
