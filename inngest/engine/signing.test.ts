import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { Inngest } from "inngest";
import { serve } from "inngest/node";
import { afterEach, describe, expect, it } from "vitest";
import { engineLeases } from "@/db/schema/engine";
import { testDatabase } from "@/tests/support/test-database";
import { startEmbeddedEngine } from "./index";
import { hashedSigningKey, signatureHeader } from "./signing";
import { finishedRun, startTestApp, type TestApp } from "./test-harness";

// How the SDK and the engine trust each other, and how the engine is told where to listen.

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
  it("listens on the port and with the keys it is given, and writes no environment variable", async () => {
    const inngestVariables = () =>
      Object.entries(process.env).filter(([name]) => name.startsWith("INNGEST_"));
    const before = inngestVariables();
    const port = await freePort();
    const keys = { signingKey: `signkey-test-${"c4".repeat(32)}`, eventKey: "given-event-key" };
    const engine = await startEmbeddedEngine({
      appUrl: "http://127.0.0.1:9/api/inngest",
      db: testDatabase(),
      environment: `given-${port}`,
      port,
      ...keys,
    });
    try {
      const baseUrl = `http://127.0.0.1:${port}`;
      expect(engine.sdkConnection).toEqual({ baseUrl, isDev: false, ...keys });
      // What lib/env gives the app's client: the same port and keys, known before the start.
      const client = new Inngest({ id: "configured", baseUrl, isDev: false, ...keys });
      const { ids } = await client.send({ name: "test/configured", data: {} });
      expect(ids).toHaveLength(1);
      expect(inngestVariables()).toEqual(before);
      // A second start in the same process returns the running engine.
      const again = { appUrl: "http://127.0.0.1:9/api/inngest", db: testDatabase() };
      expect(await startEmbeddedEngine(again)).toBe(engine);
    } finally {
      await engine.stop();
    }
  });

  it("says which port it cannot listen on, and gives its lease back", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as AddressInfo;
    const options = {
      appUrl: "http://127.0.0.1:9/api/inngest",
      db: testDatabase(),
      environment: `taken-${port}`,
      port,
    };
    try {
      await expect(startEmbeddedEngine(options)).rejects.toThrow(
        `The embedded Inngest engine cannot listen on 127.0.0.1:${port}`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    const leases = await testDatabase()
      .select()
      .from(engineLeases)
      .where(eq(engineLeases.environment, options.environment));
    expect(leases).toEqual([]);
  });

  it("in dev mode serves a client in dev mode, unsigned, like the Dev Server", async () => {
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
      expect(engine.sdkConnection).toEqual({ baseUrl: engine.url, isDev: true });
      const client = new Inngest({ id: "dev-mode", ...engine.sdkConnection });
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

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
