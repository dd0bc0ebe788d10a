import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Inngest } from "inngest";
import { serve } from "inngest/node";
import { afterEach, describe, expect, it } from "vitest";
import { testDatabase } from "@/tests/support/test-database";
import { shouldStartEmbeddedEngine, startEmbeddedEngine } from "./index";
import { hashedSigningKey, signatureHeader } from "./signing";
import { finishedRun, startTestApp, type TestApp } from "./test-harness";

// How the SDK and the engine trust each other, and what the engine does to the environment.

let app: TestApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("signatures", () => {
  it("signs like the SDK expects: HMAC of body + timestamp with the unprefixed key", () => {
    const header = signatureHeader('{"a":1}', "signkey-test-abcd", 1_700_000_000_000);
    expect(header).toMatch(/^t=1700000000&s=[0-9a-f]{64}$/);
    expect(hashedSigningKey("signkey-test-abcd")).toMatch(/^signkey-test-[0-9a-f]{64}$/);
  });
});

describe("signed mode (the default)", () => {
  it("runs functions, while the app refuses call requests the engine did not sign", async () => {
    app = await startTestApp((client) => [
      client.createFunction(
        { id: "guarded", triggers: [{ event: "test/guarded" }] },
        async () => "ok",
      ),
    ]);
    const { ids } = await app.client.send({ name: "test/guarded", data: {} });
    expect((await finishedRun(ids[0] as string)).output).toBe("ok");

    const forged = await fetch(`${app.appUrl}?fnId=engine-test-guarded&stepId=step`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ event: { name: "test/guarded", data: {} }, steps: {}, version: 2 }),
    });
    expect(forged.status).toBe(401);
  });

  it("accepts events only with its event key", async () => {
    app = await startTestApp(() => []);
    const response = await fetch(`${app.engine.url}/e/guessed-key`, {
      method: "POST",
      body: JSON.stringify({ name: "test/anything", data: {} }),
    });
    expect(response.status).toBe(401);
  });
});

describe("start-up", () => {
  it("starts only when no Inngest server is configured", () => {
    expect(shouldStartEmbeddedEngine({})).toBe(true);
    expect(shouldStartEmbeddedEngine({ INNGEST_EVENT_KEY: "k" })).toBe(true);
    expect(shouldStartEmbeddedEngine({ INNGEST_DEV: "1" })).toBe(false);
    expect(shouldStartEmbeddedEngine({ INNGEST_BASE_URL: "http://inngest:8288" })).toBe(false);
    expect(shouldStartEmbeddedEngine({ INNGEST_SIGNING_KEY: "signkey-prod-00" })).toBe(false);
  });

  it("points the SDK's env vars at itself while it runs, then puts them back", async () => {
    const before = { ...process.env };
    const engine = await startEmbeddedEngine({
      appUrl: "http://127.0.0.1:9/api/inngest",
      db: testDatabase(),
      environment: "env-check",
    });
    try {
      expect(process.env.INNGEST_BASE_URL).toBe(engine.url);
      expect(process.env.INNGEST_SIGNING_KEY).toMatch(/^signkey-embedded-/);
      expect(process.env.INNGEST_EVENT_KEY).toBeTruthy();
      expect(shouldStartEmbeddedEngine()).toBe(false);
      // A second start in the same process returns the running engine.
      const again = { appUrl: "http://127.0.0.1:9/api/inngest", db: testDatabase() };
      expect(await startEmbeddedEngine(again)).toBe(engine);
    } finally {
      await engine.stop();
    }
    for (const key of [
      "INNGEST_BASE_URL",
      "INNGEST_SIGNING_KEY",
      "INNGEST_EVENT_KEY",
      "INNGEST_DEV",
    ]) {
      expect(process.env[key]).toBe(before[key]);
    }
  });

  it("in dev mode sets INNGEST_DEV and serves a client created afterwards from the env alone", async () => {
    let handler: ((req: never, res: never) => void) | null = null;
    const server = createServer((request, response) =>
      handler ? handler(request as never, response as never) : response.writeHead(503).end(),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
    const engine = await startEmbeddedEngine({
      appUrl,
      db: testDatabase(),
      environment: `dev-${Date.now()}`,
      sdkMode: "dev",
    });
    try {
      expect(process.env.INNGEST_DEV).toBe("1");
      // Exactly what app code does: no options besides its id.
      const client = new Inngest({ id: "env-only" });
      const fn = client.createFunction(
        { id: "hello", triggers: [{ event: "test/hello" }] },
        async () => "hi",
      );
      handler = serve({ client, functions: [fn] }) as never;
      await engine.sync();
      const { ids } = await client.send({ name: "test/hello", data: {} });
      expect((await finishedRun(ids[0] as string)).output).toBe("hi");
    } finally {
      await engine.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
