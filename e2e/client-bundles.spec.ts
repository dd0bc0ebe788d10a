import type { BrowserContext } from "@playwright/test";
import { api } from "./support/api";
import { E2E_BASE_URL } from "./support/constants";
import { expect, test } from "./support/fixtures";

/**
 * What the browser downloads: the dashboard and the hosted sign-in carry no server code (no
 * drizzle, no zod), and a log page costs at most 10 % more JavaScript than the dashboard frame
 * alone (/settings). Measured as an operator's browser meets each page, from an empty cache: every
 * script response a first visit fetches, by its decoded size. Chromium skips the build's
 * `nomodule` polyfills, as every current browser does, so they are not counted.
 */

// Strings only these libraries' code contains: drizzle names its symbols `drizzle:…`, and zod
// registers its classes by name (`$ZodType`, `ZodError`).
const SERVER_LIBRARIES = [
  { name: "drizzle-orm", marker: /drizzle:(Name|Columns|IsDrizzleTable)/ },
  { name: "zod", marker: /"\$?Zod(Error|Type|String|Object)"/ },
];
const LOG_PAGE_BUDGET = 1.1;

test("dashboard and sign-in pages load no server libraries and no errors, and a log page at most 10 % more JavaScript than /settings", async ({
  browser,
  operatorSession,
  tenant,
}) => {
  const endpoint = await api<{ id: string }>("POST", "/webhooks/endpoints", {
    url: "http://127.0.0.1:9/bundle-check",
    organization_id: tenant.organizationId,
  });
  const delivery = await api<{ id: string }>("POST", `/webhooks/endpoints/${endpoint.id}/test`);
  const {
    data: [authLog],
  } = await api<{ data: { id: string }[] }>("GET", "/auth-logs?limit=1");
  expect(authLog, "the dashboard sign-in above leaves an auth log").toBeDefined();

  const signedIn = () =>
    browser.newContext({ baseURL: E2E_BASE_URL, storageState: operatorSession });
  const signedOut = () => browser.newContext({ baseURL: E2E_BASE_URL });
  const pages = [
    { path: "/settings", context: signedIn },
    { path: "/auth-logs", context: signedIn, log: true },
    { path: `/webhooks/${endpoint.id}`, context: signedIn, log: true },
    { path: `/auth-logs/${authLog?.id}`, context: signedIn },
    { path: "/webhooks", context: signedIn },
    { path: `/webhooks/${endpoint.id}/deliveries/${delivery.id}`, context: signedIn },
    // Opening a dashboard page signed out leads to the hosted sign-in.
    { path: "/settings", context: signedOut, expectPath: "/sign-in" },
  ];

  const loaded = [];
  for (const page of pages) {
    loaded.push({ ...page, ...(await scriptsOf(page.context, page.path, page.expectPath)) });
  }
  const table = loaded.map(
    ({ path, expectPath, bytes, scripts }) =>
      `${(expectPath ?? path).padEnd(72)} ${(bytes / 1024).toFixed(0).padStart(5)} KB in ${scripts.length} scripts`,
  );
  console.log(`JavaScript per page, first visit:\n${table.join("\n")}`);

  for (const { path, expectPath, scripts } of loaded) {
    for (const library of SERVER_LIBRARIES) {
      const carrying = scripts.filter((script) => library.marker.test(script.text));
      expect(
        carrying.map((script) => script.url),
        `${expectPath ?? path} loads ${library.name}`,
      ).toEqual([]);
    }
  }
  const frame = loaded[0]?.bytes ?? 0;
  for (const { path, bytes } of loaded.filter((page) => page.log)) {
    expect(
      bytes / frame,
      `${path}: ${bytes} bytes against /settings' ${frame}`,
    ).toBeLessThanOrEqual(LOG_PAGE_BUDGET);
  }
});

/** Every script a first visit to `path` downloads, in a context of its own (an empty cache). */
async function scriptsOf(
  newContext: () => Promise<BrowserContext>,
  path: string,
  expectPath = path,
) {
  const context = await newContext();
  const page = await context.newPage();
  const responses: Promise<{ url: string; text: string }>[] = [];
  // Hydration mismatches and other errors a reader's console would show.
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") {
      responses.push(response.text().then((text) => ({ url: response.url(), text })));
    }
  });
  await page.goto(path, { waitUntil: "networkidle" });
  await expect(page).toHaveURL(new RegExp(`${expectPath.replace(/[?]/g, "\\$&")}`));
  const scripts = await Promise.all(responses);
  expect(errors, `errors on ${path}`).toEqual([]);
  await context.close();
  return {
    scripts,
    bytes: scripts.reduce((sum, script) => sum + Buffer.byteLength(script.text), 0),
  };
}
