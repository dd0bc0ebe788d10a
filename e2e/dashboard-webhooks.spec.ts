import type { Page } from "@playwright/test";
import { api, createTenant, uniqueName } from "./support/api";
import { E2E_BASE_URL } from "./support/constants";
import { signInAs } from "./support/dashboard";
import { test as base, expect } from "./support/fixtures";

/**
 * The Webhooks delivery log, told as an operator lives it: a customer's receiver that fails
 * twice and then works, watched live in the dashboard (Queued → Retrying → Success without a
 * reload), filtered, opened; an endpoint that fails for good, fixed, and replayed from the
 * delivery's page. Everything runs for real: the management API creates the endpoints and the
 * events, the embedded Inngest engine inside `next start` delivers them (WEBHOOK_RETRY_DELAYS is
 * 2s,2s,2s in playwright.config.ts), and the receiver checks every signature with the
 * `standardwebhooks` package, as a customer would.
 */

type Endpoint = { id: string; secret: string; url: string };
type Delivery = { id: string; event_id: string; status: string };

const test = base.extend<{
  /** An endpoint of the test's tenant at `path` of its receiver, which checks its signatures. */
  createEndpoint: (path: string, eventTypes: string[]) => Promise<Endpoint>;
}>({
  createEndpoint: async ({ receiver, tenant }, use) => {
    await use(async (path, eventTypes) => {
      const created = await api<Endpoint>("POST", "/webhooks/endpoints", {
        url: `${receiver.origin}${path}`,
        organization_id: tenant.organizationId,
        description: `E2E ${path}`,
        event_types: eventTypes,
      });
      receiver.verify(path, created.secret);
      return created;
    });
  },
});

test("a delivery retries live, filters into the URL, and its page shows what was sent and answered", async ({
  operatorPage: page,
  receiver,
  createEndpoint,
}) => {
  test.setTimeout(120_000);
  // Attempt 1 is held for a while (the delivery stays Queued meanwhile) and fails; attempt 2
  // fails at once; attempt 3, two seconds later, succeeds.
  const endpoint = await createEndpoint("/flaky", ["webhook.test"]);
  receiver.script("/flaky", (nth) =>
    nth === 1
      ? { status: 500, body: "warming up", delayMs: 6_000 }
      : nth === 2
        ? { status: 503, body: "still warming up" }
        : { status: 200, body: '{"received":true}' },
  );

  await page.goto(`/webhooks/${endpoint.id}`);
  await expect(page.getByRole("heading", { name: "Delivery logs", level: 1 })).toBeVisible();
  await expect(page.getByTestId("endpoint-url")).toHaveText(endpoint.url);
  await expect(page.getByRole("heading", { name: "No deliveries yet" })).toBeVisible();
  // Survives only if the page is never reloaded.
  await page.evaluate(() => {
    (window as unknown as { sameDocument: boolean }).sameDocument = true;
  });

  const delivery = await api<Delivery>("POST", `/webhooks/endpoints/${endpoint.id}/test`);
  const row = page.locator(`tbody tr[data-delivery-id="${delivery.id}"]`);
  await expect(row).toHaveAttribute("data-status", "queued", { timeout: 6_000 });
  await expect(row.getByText("Queued")).toBeVisible();
  await expect(row).toHaveAttribute("data-status", "retrying", { timeout: 15_000 });
  // Retrying says when the next attempt is due.
  await expect(row.getByText(/^next /)).toBeVisible();
  await expect(row).toHaveAttribute("data-status", "success", { timeout: 15_000 });
  await expect(row.getByText("Success")).toBeVisible();
  await expect(row.locator("td").nth(2)).toHaveText("webhook.test");
  await expect(row.locator("td").nth(3)).toHaveText(delivery.event_id);
  await expect(row.locator("td").nth(4)).toHaveText("3");
  await expect(row.locator("td").nth(5)).toHaveText("200");
  await expect(row.locator("td").nth(6)).toHaveText(/^\d+ ms$/);
  expect(
    await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
  ).toBe(true);
  // Every request carried a valid Standard Webhooks signature.
  expect(receiver.on("/flaky").map((received) => received.verified)).toEqual([true, true, true]);

  // Filters: each a labelled control, each in the URL.
  await page.getByRole("button", { name: "Status", exact: true }).click();
  await page.getByRole("checkbox", { name: "Failed" }).check();
  await expect(page).toHaveURL(/status=failed/);
  await expect(rows(page)).toHaveCount(0);
  await page.getByRole("checkbox", { name: "Success" }).check();
  await expect(page).toHaveURL(/status=success(%2C|,)failed/);
  await expect(rows(page)).toHaveCount(1);
  await page.keyboard.press("Escape");

  await page.getByRole("combobox", { name: "Event type" }).selectOption("user.signup");
  await expect(page).toHaveURL(/type=user\.signup/);
  await expect(
    page.getByRole("heading", { name: "No deliveries match these filters" }),
  ).toBeVisible();
  await page.getByRole("combobox", { name: "Event type" }).selectOption("webhook.test");
  await expect(page).toHaveURL(/type=webhook\.test/);
  await expect(rows(page)).toHaveCount(1);

  await page
    .getByRole("combobox", { name: "Time range" })
    .selectOption({ label: "Last 5 minutes" });
  await expect(page).toHaveURL(/range=5m/);
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByTestId("match-count")).toHaveText("1 matching delivery");
  const url = new URL(page.url());
  expect(url.searchParams.get("status")).toBe("success,failed");
  expect(url.searchParams.get("type")).toBe("webhook.test");
  expect(url.searchParams.get("range")).toBe("5m");
  // Back steps through the filters.
  await page.goBack();
  await expect(page).not.toHaveURL(/range=5m/);
  await page.goForward();
  await expect(page).toHaveURL(/range=5m/);

  // A hand-edited URL whose range ends before it starts says why nothing matches.
  const filteredUrl = page.url();
  await page.goto(
    `/webhooks/${endpoint.id}?range=custom&from=2026-11-02T00:00:00.000Z&to=2026-11-01T00:00:00.000Z`,
  );
  await expect(
    page.getByRole("heading", { name: "No deliveries match these filters" }),
  ).toBeVisible();
  await expect(page.getByText(/Time range: .*, which ends before it starts/)).toBeVisible();
  await page.goto(filteredUrl);
  await expect(rows(page)).toHaveCount(1);

  // The delivery's own page.
  await rows(page).first().getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/webhooks/${endpoint.id}/deliveries/${delivery.id}$`));
  await expect(page.getByRole("heading", { name: "webhook.test", level: 1 })).toBeVisible();
  const request = page.getByRole("region", { name: "Request" });
  await expect(request.getByText(delivery.event_id).first()).toBeVisible();
  const headers = request.getByTestId("request-headers");
  await expect(headers.locator('[data-header="webhook-id"] dd')).toHaveText(delivery.event_id);
  await expect(headers.locator('[data-header="webhook-timestamp"] dd')).toHaveText(/^\d{10}$/);
  await expect(headers.locator('[data-header="webhook-signature"] dd')).toHaveText(
    /^v1,[A-Za-z0-9+/]+=*$/,
  );
  // The exact payload the receiver got, shown pretty-printed.
  const lastBody = receiver.on("/flaky").at(-1)?.body ?? "";
  expect(JSON.parse(lastBody)).toMatchObject({ id: delivery.event_id, type: "webhook.test" });
  await expect(request.getByTestId("payload")).toHaveText(
    JSON.stringify(JSON.parse(lastBody), null, 2),
  );
  await expect(request.getByRole("button", { name: "Copy payload" })).toHaveAttribute(
    "data-copy-value",
    lastBody,
  );
  const response = page.getByRole("region", { name: "Response" });
  await expect(response.getByTestId("response-status")).toHaveText("200");
  await expect(response.getByTestId("response-body")).toHaveText('{"received":true}');
  await expect(response.getByText(/^\d+ ms$/)).toBeVisible();
  const attempts = page.getByRole("region", { name: "Attempts" }).locator("tbody tr");
  await expect(attempts).toHaveCount(3);
  expect(
    await attempts.evaluateAll((items) =>
      items.map((item) => [item.getAttribute("data-attempt"), item.getAttribute("data-outcome")]),
    ),
  ).toEqual([
    ["1", "failure"],
    ["2", "failure"],
    ["3", "success"],
  ]);
  await expect(attempts.nth(0)).toContainText("Scheduled");
  await expect(attempts.nth(0)).toContainText("500");
  await expect(attempts.nth(1)).toContainText("503");
  await expect(attempts.nth(2)).toContainText("200");
});

test("a delivery that failed for good is replayed from its page once the receiver is fixed", async ({
  operatorPage: page,
  receiver,
  createEndpoint,
}) => {
  test.setTimeout(120_000);
  let fixed = false;
  const endpoint = await createEndpoint("/broken", ["webhook.test"]);
  receiver.script("/broken", () =>
    fixed ? { status: 202, body: "fixed" } : { status: 500, body: "down for maintenance" },
  );
  const delivery = await api<Delivery>("POST", `/webhooks/endpoints/${endpoint.id}/test`);

  await page.goto(`/webhooks/${endpoint.id}/deliveries/${delivery.id}`);
  const status = page.locator("header [data-slot=badge]");
  // Four attempts (one, then one after each of three 2 s waits), then Failed.
  await expect(status).toHaveText("Failed", { timeout: 30_000 });
  const attempts = page.getByRole("region", { name: "Attempts" }).locator("tbody tr");
  await expect(attempts).toHaveCount(4);
  await expect(page.getByTestId("response-body")).toHaveText("down for maintenance");

  // The log offers to replay it, and says how many.
  await page.getByRole("link", { name: "Delivery logs" }).click();
  await page.getByRole("button", { name: /Replay all failed in this view/ }).click();
  await expect(page.getByRole("alertdialog")).toContainText("Replay 1 failed delivery?");
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.goBack();

  fixed = true;
  await page.getByRole("button", { name: "Replay", exact: true }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("Replay this delivery?");
  await dialog.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByText("Replay started: a new attempt is on its way")).toBeVisible();
  await expect(status).toHaveText("Success", { timeout: 15_000 });
  await expect(attempts).toHaveCount(5);
  await expect(attempts.nth(4)).toContainText("Manual (replay)");
  await expect(attempts.nth(4)).toContainText("202");
  await expect(page.getByText(/Replay delivered: attempt 5, HTTP 202/)).toBeVisible();
  await expect(page.getByTestId("response-body")).toHaveText("fixed");
});

test("the log refreshes itself without moving the page or dropping its filters", async ({
  operatorPage: page,
  createEndpoint,
}) => {
  const endpoint = await createEndpoint("/busy", ["webhook.test"]);
  for (let n = 0; n < 14; n++) {
    await api("POST", `/webhooks/endpoints/${endpoint.id}/test`);
  }
  const url = `/webhooks/${endpoint.id}?status=success&range=1h`;
  await page.goto(url);
  await page.setViewportSize({ width: 1280, height: 480 });
  await expect(rows(page)).toHaveCount(14, { timeout: 20_000 });
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled).toBeGreaterThan(200);
  await page.evaluate(() => {
    (window as unknown as { stayedOnPage: boolean }).stayedOnPage = true;
  });
  // A refresh is the page asking the server for itself again (an RSC request), not a reload.
  const refreshed = await page.waitForResponse(
    (response) =>
      response.url().includes(`/webhooks/${endpoint.id}`) &&
      response.request().headers().rsc === "1",
    { timeout: 15_000 },
  );
  expect(refreshed.ok()).toBe(true);
  await expect(rows(page)).toHaveCount(14);
  expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
  expect(page.url()).toBe(`${E2E_BASE_URL}${url}`);
  expect(
    await page.evaluate(() => (window as unknown as { stayedOnPage?: boolean }).stayedOnPage),
  ).toBe(true);
});

test("markup in a payload or a response is shown as text and never runs", async ({
  operatorPage: page,
  receiver,
  tenant,
  createEndpoint,
}) => {
  const endpoint = await createEndpoint("/markup", ["user.signup"]);
  const markup = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
  receiver.script("/markup", () => ({ status: 200, body: markup }));
  // Creating a user in the organization sends user.signup with the user's name in it.
  await api("POST", "/users", {
    email: `markup-${uniqueName()}@${tenant.domain}`,
    name: markup,
    organization_id: tenant.organizationId,
    role: "member",
  });
  const [delivery] = await deliveriesIn(endpoint.id, "success");

  await page.goto(`/webhooks/${endpoint.id}/deliveries/${delivery?.id}`);
  await expect(page.getByTestId("payload")).toContainText(`"name": ${JSON.stringify(markup)}`);
  await expect(page.getByTestId("response-body")).toHaveText(markup);
  await expect(page.locator("main img[src=x], [data-testid=payload] img")).toHaveCount(0);
  expect(
    await page.evaluate(() => (window as unknown as { pwned?: number }).pwned),
  ).toBeUndefined();
});

test("an organization's admin cannot open another organization's delivery logs by URL", async ({
  browser,
  createEndpoint,
}) => {
  const endpoint = await createEndpoint("/private", ["webhook.test"]);
  const delivery = await api<Delivery>("POST", `/webhooks/endpoints/${endpoint.id}/test`);
  const other = await createTenant();
  const password = `pw-${uniqueName()}-long`;
  const admin = await api<{ email: string }>("POST", "/users", {
    email: `admin-${uniqueName()}@${other.domain}`,
    name: "Other Admin",
    password,
    organization_id: other.organizationId,
    role: "admin",
  });

  const context = await browser.newContext({ baseURL: E2E_BASE_URL });
  const page = await context.newPage();
  await page.goto(`/webhooks/${endpoint.id}`);
  await expect(page).toHaveURL(/\/sign-in\?auth_request=areq_/);
  await signInAs(page, { email: admin.email, password });
  await expect(page).toHaveURL(`${E2E_BASE_URL}/webhooks/${endpoint.id}`);
  await expect(
    page.getByRole("heading", { name: "Webhook endpoint or delivery not found" }),
  ).toBeVisible();
  await expect(page.getByText(endpoint.url)).toHaveCount(0);

  const detail = await page.goto(`/webhooks/${endpoint.id}/deliveries/${delivery.id}`);
  expect(detail?.status()).toBe(404);
  await expect(
    page.getByRole("heading", { name: "Webhook endpoint or delivery not found" }),
  ).toBeVisible();
  const reload = await page.goto(`/webhooks/${endpoint.id}?status=failed`);
  expect(reload?.status()).toBe(404);
  await context.close();
});

function rows(page: Page) {
  return page.locator("tbody tr[data-delivery-id]");
}

/** The endpoint's deliveries in `status`, once there is at least one. */
async function deliveriesIn(endpointId: string, status: string): Promise<Delivery[]> {
  let deliveries: Delivery[] = [];
  await expect
    .poll(
      async () => {
        const page = await api<{ data: Delivery[] }>(
          "GET",
          `/webhooks/endpoints/${endpointId}/deliveries?status=${status}`,
        );
        deliveries = page.data;
        return deliveries.length;
      },
      { message: `a ${status} delivery for ${endpointId}`, timeout: 15_000 },
    )
    .toBeGreaterThan(0);
  return deliveries;
}
