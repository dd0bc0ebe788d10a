import { type BrowserContext, test as base, type Page } from "@playwright/test";
import { startWebhookReceiver, type WebhookReceiver } from "../../tests/support/webhook-receiver";
import { createTenant, type TestTenant } from "./api";
import { E2E_ADMIN, E2E_BASE_URL } from "./constants";
import { signInAs } from "./dashboard";

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

type WorkerFixtures = {
  /** The bootstrap operator's dashboard session, signed in once per worker. */
  operatorSession: StorageState;
};

type TestFixtures = {
  /** A fresh browser context already signed in to the dashboard as the bootstrap operator. */
  operatorContext: BrowserContext;
  /** A page of operatorContext. */
  operatorPage: Page;
  /** An organization of this test's own, with an email domain. */
  tenant: TestTenant;
  /** A customer's webhook receiver on 127.0.0.1, for this test alone. */
  receiver: WebhookReceiver;
};

/**
 * The suite's fixtures: what a spec needs is asked for by name (`async ({ operatorPage }) => …`)
 * and set up and torn down around the test that asks, instead of module-level state filled in
 * beforeAll. A spec with data of its own extends this `test` in the same way.
 */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  operatorSession: [
    async ({ browser }, use) => {
      const context = await browser.newContext({ baseURL: E2E_BASE_URL });
      const page = await context.newPage();
      await page.goto("/settings");
      await signInAs(page, E2E_ADMIN);
      await page.waitForURL(`${E2E_BASE_URL}/settings`);
      await use(await context.storageState());
      await context.close();
    },
    { scope: "worker" },
  ],
  operatorContext: async ({ browser, operatorSession }, use) => {
    const context = await browser.newContext({
      baseURL: E2E_BASE_URL,
      storageState: operatorSession,
    });
    await use(context);
    await context.close();
  },
  operatorPage: async ({ operatorContext }, use) => {
    await use(await operatorContext.newPage());
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from its first parameter's pattern
  tenant: async ({}, use) => {
    await use(await createTenant());
  },
  // biome-ignore lint/correctness/noEmptyPattern: as above
  receiver: async ({}, use) => {
    const receiver = await startWebhookReceiver();
    await use(receiver);
    await receiver.close();
  },
});

export { expect } from "@playwright/test";
