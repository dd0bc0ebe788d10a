import type { Locator, Page } from "@playwright/test";
import { api, createTenant, uniqueName } from "./support/api";
import { E2E_BASE_URL } from "./support/constants";
import { signedIn } from "./support/dashboard";
import { expect, test } from "./support/fixtures";

/**
 * The Webhooks endpoints page, used as an operator would: add an endpoint in the dialog (and be
 * told what is wrong with a bad URL), see it in the table, reveal and rotate its secret, send a
 * test event that really reaches a receiver, edit, disable and enable it, open its delivery
 * logs, and delete it. The endpoint points at a receiver on 127.0.0.1 (the test server runs with
 * WEBHOOK_ALLOW_PRIVATE_TARGETS=true); the embedded engine inside `next start` delivers.
 */

test("an operator adds, tests, rotates, edits, disables and deletes an endpoint", async ({
  operatorPage: page,
  receiver,
  tenant,
}) => {
  await page.goto("/webhooks");
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  const path = `/hooks/${uniqueName()}`;
  const url = `${receiver.origin}${path}`;
  const description = `Billing ${uniqueName()}`;

  // A bad URL is refused with a message on the field, and the dialog keeps what was typed.
  await page.getByRole("button", { name: "Add endpoint" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add endpoint" });
  await expect(dialog).toBeVisible();
  const urlField = dialog.getByLabel("URL", { exact: true });
  await urlField.fill("not a url");
  await dialog.getByLabel("Description (optional)").fill(description);
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  await expect(dialog.getByText("Enter a full URL such as https://example.com/hook")).toBeVisible();
  await expect(urlField).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByLabel("Description (optional)")).toHaveValue(description);
  await urlField.fill("ftp://files.example.com/hook");
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  await expect(dialog.getByText("The URL must start with https://")).toBeVisible();

  // The real thing: the tenant's endpoint, two event types picked from the catalog.
  await urlField.fill(url);
  await dialog.getByRole("combobox", { name: "Organization" }).click();
  await page.getByRole("option", { name: tenant.name }).click();
  await dialog.getByRole("radio", { name: "Only the types selected below" }).check();
  await expect(dialog.getByText(/A user signed in: an application exchanged/)).toBeVisible();
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  await expect(
    dialog.getByText("Pick at least one event type, or choose All events"),
  ).toBeVisible();
  await dialog.getByRole("checkbox", { name: "user.login", exact: true }).check();
  await dialog.getByRole("checkbox", { name: "user.signup", exact: true }).check();
  await dialog.getByLabel("Rate limit (requests per second, optional)").fill("5");
  await dialog.getByRole("button", { name: "Add endpoint" }).click();

  const created = page.getByRole("dialog", { name: "Endpoint added" });
  await expect(created).toBeVisible();
  const secret = await created.getByLabel("Signing secret").inputValue();
  expect(secret).toMatch(/^whsec_/);
  await created.getByRole("button", { name: "Done" }).click();
  await expect(created).toBeHidden();

  const row = page.locator("tbody tr[data-endpoint-id]", { hasText: url });
  await expect(row).toHaveCount(1);
  const endpointId = (await row.getAttribute("data-endpoint-id")) ?? "";
  expect(endpointId).toMatch(/^ep_/);
  await expect(row).toContainText(description);
  await expect(row).toContainText("user.login");
  await expect(row).toContainText("user.signup");
  await expect(row).toContainText(tenant.name);
  await expect(row).toContainText("Enabled");
  await expect(row).toContainText("Never");
  const saved = await api<{ event_types: string[] }>("GET", `/webhooks/endpoints/${endpointId}`);
  expect(saved).toMatchObject({
    organization_id: tenant.organizationId,
    url,
    description,
    rate_limit_per_second: 5,
    enabled: true,
  });
  expect([...saved.event_types].sort()).toEqual(["user.login", "user.signup"]);
  // The secret is fetched on demand, never part of the page.
  expect(await page.content()).not.toContain(secret);

  // Reveal: the same secret, from the server.
  await menuItem(page, url, "Reveal secret");
  const revealed = page.getByRole("dialog", { name: "Signing secret" });
  await expect(revealed.getByLabel("Signing secret")).toHaveValue(secret);
  await revealed.getByRole("button", { name: "Close" }).first().click();
  await expect(revealed).toBeHidden();

  // Rotate, after a confirmation that says the old secret keeps signing for 24 hours.
  await menuItem(page, url, "Rotate secret");
  const confirmRotation = page.getByRole("alertdialog", { name: "Rotate the signing secret?" });
  await expect(confirmRotation).toContainText("keeps signing for 24 hours");
  await confirmRotation.getByRole("button", { name: "Rotate secret" }).click();
  const rotated = page.getByRole("dialog", { name: "Signing secret rotated" });
  const newSecret = await rotated.getByLabel("Signing secret").inputValue();
  expect(newSecret).toMatch(/^whsec_/);
  expect(newSecret).not.toBe(secret);
  await expect(rotated).toContainText("previous secret keeps signing");
  expect(await api("GET", `/webhooks/endpoints/${endpointId}/secret`)).toMatchObject({
    secret: newSecret,
  });
  await rotated.getByRole("button", { name: "Close" }).first().click();
  await expect(rotated).toBeHidden();

  // A test event reaches the receiver, signed, and shows in the row's 24-hour numbers.
  await menuItem(page, url, "Send test event");
  await expect(page.getByText("Test event sent")).toBeVisible();
  await expect
    .poll(() => receiver.requests.filter((request) => request.path === path).length, {
      timeout: 20_000,
    })
    .toBe(1);
  const [test] = receiver.requests.filter((request) => request.path === path);
  expect(JSON.parse(test?.body ?? "{}")).toMatchObject({
    type: "webhook.test",
    data: { endpoint_id: endpointId },
  });
  expect(test?.headers["webhook-id"]).toMatch(/^evt_/);
  // Signed with the new secret and, during the grace period, the old one too.
  expect(test?.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
  await expect(async () => {
    await page.reload();
    await expect(row.getByText("Success")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(row.locator("td").nth(4)).toHaveText("100%");
  await expect(row.locator("td").nth(5)).toHaveText("1");

  // Edit: every event type from now on, and a new description.
  await menuItem(page, url, "Edit");
  const edit = page.getByRole("dialog", { name: "Edit endpoint" });
  await expect(edit.getByLabel("URL", { exact: true })).toHaveValue(url);
  await expect(edit.getByLabel("Organization", { exact: true })).toHaveValue(tenant.name);
  await edit.getByLabel("Description (optional)").fill(`${description} (all)`);
  await edit.getByRole("radio", { name: "All events, including types added later" }).check();
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByText("Endpoint saved")).toBeVisible();
  await expect(row).toContainText(`${description} (all)`);
  await expect(row).toContainText("All events");

  // Disable, then enable again; a disabled endpoint offers no test event.
  await menuItem(page, url, "Disable");
  await expect(row).toContainText("Disabled");
  await openMenu(page, url);
  await expect(page.getByRole("menuitem", { name: "Send test event" })).toBeDisabled();
  await page.getByRole("menuitem", { name: "Enable" }).click();
  await expect(row).toContainText("Enabled");
  expect((await api("GET", `/webhooks/endpoints/${endpointId}`)).enabled).toBe(true);

  // "…" → Delivery logs opens the endpoint's log.
  await menuItem(page, url, "Delivery logs");
  await expect(page).toHaveURL(`${E2E_BASE_URL}/webhooks/${endpointId}`);
  await page.goto("/webhooks");

  // Delete asks first; cancelling keeps the endpoint.
  await menuItem(page, url, "Delete");
  const confirmDelete = page.getByRole("alertdialog", { name: "Delete this endpoint?" });
  await expect(confirmDelete).toContainText(url);
  await confirmDelete.getByRole("button", { name: "Cancel" }).click();
  await expect(row).toHaveCount(1);
  await menuItem(page, url, "Delete");
  await confirmDelete.getByRole("button", { name: "Delete endpoint" }).click();
  await expect(row).toHaveCount(0);
  await expect(page.getByText("Endpoint deleted")).toBeVisible();
  await expect(api("GET", `/webhooks/endpoints/${endpointId}`)).rejects.toThrow(/404/);
});

test("an organization's admin sees and adds only their own organization's endpoints", async ({
  browser,
  receiver,
  tenant,
}) => {
  const other = await createTenant();
  const own = await api<{ id: string; url: string }>("POST", "/webhooks/endpoints", {
    url: `${receiver.origin}/own/${uniqueName()}`,
    organization_id: tenant.organizationId,
  });
  const foreign = await api<{ id: string; url: string }>("POST", "/webhooks/endpoints", {
    url: `${receiver.origin}/foreign/${uniqueName()}`,
    organization_id: other.organizationId,
  });
  const password = `pw-${uniqueName()}-long`;
  const admin = await api<{ email: string }>("POST", "/users", {
    email: `admin-${uniqueName()}@${tenant.domain}`,
    name: "Tenant Admin",
    password,
    organization_id: tenant.organizationId,
    role: "admin",
  });

  const { context, page } = await signedIn(browser, "/webhooks", { email: admin.email, password });
  await expect(endpointRow(page, own.url)).toHaveCount(1);
  await expect(endpointRow(page, foreign.url)).toHaveCount(0);
  const organizations = await page
    .locator("tbody tr[data-endpoint-id] td:nth-child(3)")
    .allTextContents();
  expect(new Set(organizations)).toEqual(new Set([tenant.name]));

  // New endpoints are theirs: the organization is shown, not offered.
  await page.getByRole("button", { name: "Add endpoint" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add endpoint" });
  await expect(dialog.getByLabel("Organization", { exact: true })).toHaveValue(tenant.name);
  await expect(dialog.getByRole("combobox", { name: "Organization" })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await context.close();
});

function endpointRow(page: Page, url: string): Locator {
  return page.locator("tbody tr[data-endpoint-id]", { hasText: url });
}

async function openMenu(page: Page, url: string): Promise<void> {
  await page.getByRole("button", { name: `More options for ${url}` }).click();
  await expect(page.getByRole("menu")).toBeVisible();
}

async function menuItem(page: Page, url: string, item: string): Promise<void> {
  await openMenu(page, url);
  await page.getByRole("menuitem", { name: item, exact: true }).click();
}
