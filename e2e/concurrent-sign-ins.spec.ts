import { expect, test } from "@playwright/test";
import { api, authLog, createClient, createTenant, createUser, uniqueName } from "./support/api";
import { HtmlFormClient } from "./support/html-form-client";
import { RelyingParty } from "./support/relying-party";

const CALLBACK = "http://localhost:3999/callback";
const SIGN_INS = 100;

test("100 concurrent sign-ins give 100 auth logs, each with its own user and a complete journey", async () => {
  test.setTimeout(240_000);
  const started = Date.now();
  const tenant = await createTenant();
  const password = `pw-${uniqueName()}-long`;
  // Created eight at a time: each password costs a 64 MiB scrypt on the server.
  const users: Awaited<ReturnType<typeof createUser>>[] = [];
  for (let batch = 0; batch < SIGN_INS; batch += 8) {
    const size = Math.min(8, SIGN_INS - batch);
    const created = await Promise.all(
      Array.from({ length: size }, (_, offset) =>
        createUser(tenant, { password, local: `crowd-${batch + offset}-${uniqueName()}` }),
      ),
    );
    users.push(...created);
  }
  console.log(`users created in ${Date.now() - started} ms`);
  const signInsStarted = Date.now();
  const rp = await RelyingParty.discover(await createClient("confidential", CALLBACK), CALLBACK);

  const outcomes = await Promise.all(
    users.map(async (user) => {
      const attempt = await rp.startSignIn("openid email");
      const browser = new HtmlFormClient();
      await browser.visit(attempt.url);
      await browser.submit(/name="email"/, { email: user.email });
      const callback = await browser.submit(/name="password"/, { password });
      const { claims } = await rp.finishSignIn(attempt, callback);
      return { user, subject: claims.sub };
    }),
  );
  console.log(`${SIGN_INS} concurrent sign-ins in ${Date.now() - signInsStarted} ms`);
  for (const { user, subject } of outcomes) expect(subject).toBe(user.id);

  const page = await api<{ data: { id: string; user_id: string; email: string }[] }>(
    "GET",
    `/auth-logs?organization_id=${tenant.organizationId}&limit=100`,
  );
  expect(page.data).toHaveLength(SIGN_INS);
  const byUser = new Map(page.data.map((entry) => [entry.user_id, entry]));
  expect(byUser.size).toBe(SIGN_INS);
  for (const user of users) {
    const entry = byUser.get(user.id);
    expect(entry?.email).toBe(user.email);
    const journey = await authLog(entry?.id ?? "");
    expect(journey.status).toBe("success");
    expect(journey.events?.map((event) => event.type)).toEqual(
      expect.arrayContaining([
        "authorize_received",
        "user_identified",
        "credentials_verified",
        "code_issued",
        "code_exchanged",
      ]),
    );
  }
});
