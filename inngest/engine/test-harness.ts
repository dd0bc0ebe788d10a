import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { asc, eq } from "drizzle-orm";
import { Inngest, type InngestFunction } from "inngest";
import { serve } from "inngest/node";
import { vi } from "vitest";
import { type EngineRun, engineRuns } from "@/db/schema/engine";
import { testDatabase } from "@/tests/support/test-database";
import { type EmbeddedEngine, type StartEmbeddedEngineOptions, startEmbeddedEngine } from "./index";

// Test support: a real SDK app served by node:http on 127.0.0.1, driven by a real engine on
// the test database. Each harness uses its own engine environment, so tests sharing one
// PostgreSQL database never see each other's events or runs.

export const APP_ID = "engine-test";

export interface TestApp {
  engine: EmbeddedEngine;
  client: Inngest;
  environment: string;
  appUrl: string;
  /** Call requests the app has received so far. */
  readonly callRequests: number;
  /** Stops the engine and starts another on the same database, app and port. */
  restartEngine(): Promise<EmbeddedEngine>;
  close(): Promise<void>;
}

type EngineOverrides = Omit<StartEmbeddedEngineOptions, "appUrl" | "db" | "environment">;

export async function startTestApp(
  define: (client: Inngest) => InngestFunction.Any[],
  overrides: EngineOverrides = {},
): Promise<TestApp> {
  let handler: http.RequestListener | null = null;
  let callRequests = 0;
  const server = http.createServer((request, response) => {
    if (request.method === "POST") callRequests++;
    if (handler) return handler(request, response);
    response.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
  const environment = `test-${randomUUID()}`;
  const options: StartEmbeddedEngineOptions = {
    appUrl,
    db: testDatabase(),
    environment,
    backoff: () => 50,
    ...overrides,
  };
  let engine = await startEmbeddedEngine(options);
  // Explicit settings rather than the env vars the engine sets: tests run several engines.
  const connection = engine.sdkConnection;
  const client = new Inngest({ id: APP_ID, ...connection });
  handler = serve({ client, functions: define(client) });
  await engine.sync();

  return {
    get engine() {
      return engine;
    },
    client,
    environment,
    appUrl,
    get callRequests() {
      return callRequests;
    },
    async restartEngine() {
      const port = engine.port;
      await engine.stop();
      // Same keys: the app's client (made once, here) must keep trusting the engine.
      const { signingKey, eventKey } = connection;
      engine = await startEmbeddedEngine({ ...options, port, signingKey, eventKey });
      return engine;
    },
    async close() {
      await engine.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  } as TestApp;
}

export async function runsOfEvent(eventId: string): Promise<EngineRun[]> {
  return testDatabase()
    .select()
    .from(engineRuns)
    .where(eq(engineRuns.eventId, eventId))
    .orderBy(asc(engineRuns.id));
}

/** Waits for the one run an event started to finish, and returns it. */
export async function finishedRun(eventId: string, timeoutMs = 10_000): Promise<EngineRun> {
  return vi.waitUntil(
    async () => {
      const [run] = await runsOfEvent(eventId);
      return run && ["completed", "failed", "cancelled"].includes(run.status) ? run : undefined;
    },
    { timeout: timeoutMs, interval: 20 },
  );
}

export function fnId(id: string): string {
  return `${APP_ID}-${id}`;
}
