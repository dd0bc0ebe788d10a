import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { Inngest, type InngestFunction, NonRetriableError } from "inngest";
import { serve } from "inngest/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concurrencyKeysFor, type FunctionDefinition, FunctionRegistry } from "./functions";
import { AppClient } from "./http-client";
import {
  answeredRequestVersion,
  type CallOutcome,
  callRequestPayload,
  callUrlPrefix,
  readCallResponse,
  readCheckpoint,
  SDK_VERSION,
} from "./protocol";
import { newRunState, type RunState } from "./run";
import { canonicalJson, hashedSigningKey, signatureHeader } from "./signing";

// The engine's contract with the `inngest` SDK: every fact about the SDK that the engine relies
// on, checked against the installed SDK with nothing of the engine in between but the functions
// that build what it sends and read what it gets (no scheduler, no database). package.json pins
// the SDK to the version they were measured against (SDK_VERSION). To upgrade: install the new
// version and run `npm run test:inngest-contract` (this file and the engine's end-to-end tests);
// only the version check may fail, and it passes once SDK_VERSION and the pin name the new one.

const SIGNING_KEY = `signkey-test-${"5e".repeat(32)}`;
const EVENT_KEY = "contract-event-key";
const APP_ID = "contract";
const INBAND = { "content-type": "application/json", "x-inngest-sync-kind": "in_band" };
const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/** What the SDK sent to the Inngest API (events, out-of-band sync, checkpoints). */
interface ApiRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

let api: http.Server;
let app: http.Server;
let appUrl: string;
let registry: FunctionRegistry;
const apiRequests: ApiRequest[] = [];
// Event sends the fake API answers with a 500 before it accepts one.
let refusedSends = 0;
const calls = new AppClient(4);

let client: Inngest;

const defineFunctions = (client: Inngest): InngestFunction.Any[] => [
  client.createFunction(
    {
      id: "two-steps",
      triggers: [{ event: "contract/two-steps" }],
      checkpointing: false,
      retries: 2,
      concurrency: { key: "event.data.endpointId", limit: 1 },
      throttle: { key: "event.data.endpointId", limit: 10, period: "1s" },
    },
    async ({ event, step }) => {
      const first = await step.run("first", () => `first ${event.data.n}`);
      const second = await step.run("second", () => `${first}, second`);
      return { second };
    },
  ),
  client.createFunction(
    { id: "sleeper", triggers: [{ event: "contract/sleeper" }], checkpointing: false },
    async ({ step }) => {
      await step.sleep("nap", "90s");
      return "awake";
    },
  ),
  client.createFunction(
    { id: "parallel", triggers: [{ event: "contract/parallel" }], checkpointing: false },
    async ({ step }) => Promise.all([step.run("left", () => "L"), step.run("right", () => "R")]),
  ),
  client.createFunction(
    {
      id: "failing-step",
      triggers: [{ event: "contract/failing-step" }],
      checkpointing: false,
      retries: 1,
      onFailure: async () => "noted",
    },
    async ({ step }) =>
      step.run("boom", () => {
        throw new Error("boom");
      }),
  ),
  client.createFunction(
    { id: "refusing", triggers: [{ event: "contract/refusing" }], checkpointing: false },
    async () => {
      throw new NonRetriableError("never again");
    },
  ),
  client.createFunction(
    { id: "checkpointed", triggers: [{ event: "contract/checkpointed" }] },
    async ({ step }) => {
      const a = await step.run("a", () => 1);
      const b = await step.run("b", () => a + 1);
      return b;
    },
  ),
  client.createFunction(
    { id: "hourly", triggers: [{ cron: "TZ=Europe/Paris 0 * * * *" }] },
    async () => "tick",
  ),
];

beforeAll(async () => {
  api = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const path = request.url ?? "";
      apiRequests.push({
        method: request.method ?? "",
        path,
        headers: request.headers,
        body: text ? JSON.parse(text) : null,
      });
      if (path.startsWith("/e/") && refusedSends > 0) {
        refusedSends--;
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: "busy", status: 500 }));
        return;
      }
      const answer = path.startsWith("/e/")
        ? { ids: ["01CONTRACT"], status: 200 }
        : path === "/fn/register"
          ? { ok: true, modified: true }
          : {};
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(answer));
    });
  });
  await listen(api);
  client = new Inngest({
    id: APP_ID,
    isDev: false,
    baseUrl: serverUrl(api),
    signingKey: SIGNING_KEY,
    eventKey: EVENT_KEY,
  });
  app = http.createServer(serve({ client, functions: defineFunctions(client) }));
  await listen(app);
  appUrl = `${serverUrl(app)}/api/inngest`;
  registry = new FunctionRegistry(await syncInBand());
});

afterAll(async () => {
  calls.close();
  for (const server of [app, api]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("the SDK the engine was measured against", () => {
  it("is the version installed and the one package.json pins, exactly", () => {
    const installed = JSON.parse(readFileSync("node_modules/inngest/package.json", "utf8"));
    const project = JSON.parse(readFileSync("package.json", "utf8"));
    expect(installed.version).toBe(SDK_VERSION);
    expect(project.dependencies.inngest).toBe(SDK_VERSION);
  });
});

describe("sync", () => {
  it("in band: PUT {appUrl} answers with every function config the engine reads", async () => {
    const ids = [...registry.functions.keys()].sort();
    expect(ids).toEqual(
      [
        "checkpointed",
        "failing-step",
        "failing-step-failure",
        "hourly",
        "parallel",
        "refusing",
        "sleeper",
        "two-steps",
      ].map((id) => `${APP_ID}-${id}`),
    );
    expect(registry.problems).toEqual([]);
    const twoSteps = definition("two-steps");
    // `retries` is the number of retries: attempts = retries + 1.
    expect(twoSteps.maxAttempts).toBe(3);
    expect(twoSteps.concurrency).toHaveLength(1);
    expect(twoSteps.throttle).toMatchObject({ limit: 10, periodMs: 1_000, burst: 0 });
    expect(concurrencyKeysFor(twoSteps, event("two-steps", { endpointId: "ep_1" }))).toEqual([
      `fn:${APP_ID}-two-steps:0:ep_1`,
    ]);
    expect(definition("hourly").cron.map((schedule) => schedule.expression)).toEqual([
      "TZ=Europe/Paris 0 * * * *",
    ]);
    // Inngest's default when a function sets none: 4 retries.
    expect(definition("sleeper").maxAttempts).toBe(5);
  });

  it("gives an onFailure handler a function of its own, triggered by its function's failures", () => {
    const failed = (functionId: string) => ({
      id: `failed-${functionId}`,
      name: "inngest/function.failed",
      data: { function_id: functionId, run_id: "run-x", error: {}, event: {} },
      ts: Date.now(),
    });
    // Its trigger condition is `event.data.function_id == '<id>'`, which the engine reads.
    expect(registry.match(failed(`${APP_ID}-failing-step`)).map((fn) => fn.id)).toEqual([
      `${APP_ID}-failing-step-failure`,
    ]);
    expect(registry.match(failed(`${APP_ID}-two-steps`))).toEqual([]);
  });

  it("out of band: a plain PUT makes the SDK post its functions to /fn/register", async () => {
    apiRequests.length = 0;
    const response = await fetch(appUrl, { method: "PUT" });
    expect(response.status).toBe(200);
    const register = apiRequests.find((request) => request.path === "/fn/register");
    expect(register?.method).toBe("POST");
    expect(register?.headers.authorization).toBe(`Bearer ${hashedSigningKey(SIGNING_KEY)}`);
    const body = register?.body as { functions: Array<{ id: string }> };
    expect(body.functions.map((fn) => fn.id)).toContain(`${APP_ID}-two-steps`);
  });
});

describe("call requests", () => {
  it("run one step per call: 206 StepRun under sha1(step id), then 200 with the output", async () => {
    const run = runOf("two-steps", { n: 1 });
    const first = await call(run);
    expect(first.outcome).toEqual({
      kind: "operations",
      operations: [expect.objectContaining({ op: "StepRun", id: sha1("first"), data: "first 1" })],
    });
    // A run's first call says -1 ("the SDK decides"); the answer names the version it used.
    expect(first.requestVersion).toBe(2);

    memoize(run, sha1("first"), "first 1");
    run.plan = { ...run.plan, requestVersion: first.requestVersion };
    const second = await call(run);
    expect(operationsOf(second.outcome)).toEqual([
      expect.objectContaining({ op: "StepRun", id: sha1("second"), data: "first 1, second" }),
    ]);

    memoize(run, sha1("second"), "first 1, second");
    const last = await call(run);
    expect(last.outcome).toEqual({ kind: "completed", output: { second: "first 1, second" } });
  });

  it("report a sleep as Sleep with its duration, and go on once it is memoized as null", async () => {
    const run = runOf("sleeper");
    const [sleep] = operationsOf((await call(run)).outcome);
    expect(sleep).toMatchObject({ op: "Sleep", id: sha1("nap") });
    expect(sleep?.name ?? sleep?.opts?.duration).toBe("1m30s");

    memoize(run, sha1("nap"), null);
    expect((await call(run)).outcome).toEqual({ kind: "completed", output: "awake" });
  });

  it("plan parallel steps, then run the one a call names in stepId", async () => {
    const run = runOf("parallel");
    const planned = operationsOf((await call(run)).outcome);
    expect(planned.map((operation) => [operation.op, operation.id])).toEqual([
      ["StepPlanned", sha1("left")],
      ["StepPlanned", sha1("right")],
    ]);

    const ran = operationsOf((await call(run, sha1("right"))).outcome);
    expect(ran).toEqual([expect.objectContaining({ op: "StepRun", id: sha1("right"), data: "R" })]);
  });

  it("say StepError while attempts remain and StepFailed on the last (max_attempts)", async () => {
    const run = runOf("failing-step");
    const [retry] = operationsOf((await call(run)).outcome);
    expect(retry).toMatchObject({ op: "StepError", id: sha1("boom") });
    expect(retry?.error).toMatchObject({ name: "Error", message: "boom" });

    run.attempt = 1;
    const [final] = operationsOf((await call(run)).outcome);
    expect(final).toMatchObject({ op: "StepFailed", id: sha1("boom") });
  });

  it("answer a NonRetriableError thrown by the function with x-inngest-no-retry", async () => {
    const { outcome } = await call(runOf("refusing"));
    expect(outcome).toMatchObject({
      kind: "error",
      retriable: false,
      error: { name: "NonRetriableError", message: "never again" },
    });
  });

  it("let the SDK checkpoint: steps posted to /v1/checkpoint/{run}/async, then RunComplete", async () => {
    apiRequests.length = 0;
    const run = runOf("checkpointed");
    const [complete] = operationsOf((await call(run)).outcome);
    expect(complete).toMatchObject({ op: "RunComplete", data: 2 });

    const checkpoints = apiRequests.filter((request) => request.path.startsWith("/v1/checkpoint"));
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const checkpoint of checkpoints) {
      expect(checkpoint.method).toBe("POST");
      expect(checkpoint.path).toBe(`/v1/checkpoint/${run.id}/async`);
      expect(checkpoint.headers.authorization).toBe(`Bearer ${hashedSigningKey(SIGNING_KEY)}`);
    }
    const reported = checkpoints.flatMap(
      (checkpoint) => readCheckpoint(checkpoint.body)?.operations ?? [],
    );
    expect(readCheckpoint(checkpoints[0]?.body)?.callId).toBe(run.call);
    expect(reported.map((operation) => [operation.op, operation.id, operation.data])).toEqual([
      ["StepRun", sha1("a"), 1],
      ["StepRun", sha1("b"), 2],
    ]);
  });
});

describe("signatures", () => {
  it("the engine writes canonical JSON with the very module the SDK verifies with", () => {
    const require = createRequire(import.meta.url);
    const fromSdk = createRequire(require.resolve("inngest")).resolve("canonicalize");
    expect(require.resolve("canonicalize")).toBe(fromSdk);
  });

  it("the SDK accepts a call signed over the canonical JSON body and refuses an unsigned one", async () => {
    const body = canonicalJson(callRequestPayload(runOf("two-steps"), definition("two-steps")));
    expect((await postCall("two-steps", body)).status).toBe(401);
    const signed = await postCall("two-steps", body, signatureHeader(body, SIGNING_KEY));
    expect(signed.status).toBe(206);
  });

  it("the SDK checks a signature against its own canonical form of the body, not the bytes sent", async () => {
    // Keys in insertion order, not sorted: a signature of these bytes is not the SDK's.
    const body = JSON.stringify(callRequestPayload(runOf("two-steps"), definition("two-steps")));
    expect(body).not.toBe(canonicalJson(JSON.parse(body)));
    const response = await postCall("two-steps", body, signatureHeader(body, SIGNING_KEY));
    expect(response.status).toBe(401);
  });
});

describe("client options", () => {
  it("are read when the client signs, verifies or sends, not when it or serve() is made", async () => {
    // inngest/client.ts relies on this: its keys are getters, derived on first use.
    const reads: string[] = [];
    const lazy = new Inngest({
      id: "lazy",
      isDev: false,
      baseUrl: serverUrl(api),
      get signingKey() {
        reads.push("signingKey");
        return SIGNING_KEY;
      },
      get eventKey() {
        reads.push("eventKey");
        return EVENT_KEY;
      },
    });
    const fn = lazy.createFunction({ id: "noop", triggers: [{ event: "contract/noop" }] }, () => 1);
    const lazyApp = http.createServer(serve({ client: lazy, functions: [fn] }));
    expect(reads).toEqual([]);

    apiRequests.length = 0;
    await lazy.send({ name: "contract/noop", data: {} });
    expect(apiRequests[0]?.path).toBe(`/e/${EVENT_KEY}`);
    expect(reads).toContain("eventKey");

    await listen(lazyApp);
    try {
      const url = `${serverUrl(lazyApp)}/api/inngest`;
      expect((await fetch(url, { method: "PUT", headers: INBAND, body: "{}" })).status).toBe(401);
      expect(reads).toContain("signingKey");
    } finally {
      lazyApp.closeAllConnections();
      await new Promise((resolve) => lazyApp.close(resolve));
    }
  });
});

describe("sending events", () => {
  it("posts to {baseUrl}/e/{eventKey} with an id seed it repeats when it retries", async () => {
    apiRequests.length = 0;
    refusedSends = 1;
    const { ids } = await client.send({ name: "contract/two-steps", data: { n: 4 } });
    expect(ids).toEqual(["01CONTRACT"]);
    const [refused, accepted] = apiRequests;
    for (const sent of [refused, accepted]) {
      expect(sent?.method).toBe("POST");
      expect(sent?.path).toBe(`/e/${EVENT_KEY}`);
      expect(sent?.body).toEqual([
        expect.objectContaining({ name: "contract/two-steps", data: { n: 4 } }),
      ]);
    }
    // `<ms>,<base64 of 10 bytes>`: the engine derives the event ids from it (ids.ts).
    const seed = refused?.headers["x-inngest-event-id-seed"];
    expect(seed).toMatch(/^\d+,[A-Za-z0-9+/]{14}==$/);
    expect(accepted?.headers["x-inngest-event-id-seed"]).toBe(seed);
  });
});

// ---- helpers --------------------------------------------------------------------------------

async function listen(server: http.Server): Promise<void> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
}

function serverUrl(server: http.Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The in-band sync the engine makes, signed as it signs it; returns the function configs. */
async function syncInBand(): Promise<unknown[]> {
  const body = canonicalJson({ url: appUrl });
  const response = await calls.request(appUrl, {
    method: "PUT",
    headers: { ...INBAND, "x-inngest-signature": signatureHeader(body, SIGNING_KEY) },
    body,
    timeoutMs: 10_000,
  });
  expect(response.status).toBe(200);
  expect(response.headers["x-inngest-sync-kind"]).toBe("in_band");
  return (JSON.parse(response.body) as { functions: unknown[] }).functions;
}

function definition(id: string): FunctionDefinition {
  const fn = registry.get(`${APP_ID}-${id}`);
  if (!fn) throw new Error(`${id} was not synced`);
  return fn;
}

function event(id: string, data: Record<string, unknown> = {}) {
  return { id: `event-${id}`, name: `contract/${id}`, data, ts: Date.now() };
}

let runs = 0;
function runOf(id: string, data: Record<string, unknown> = {}): RunState {
  const run = newRunState({
    id: `run-${++runs}`,
    functionId: `${APP_ID}-${id}`,
    eventId: `event-${id}`,
    event: event(id, data),
    concurrencyKeys: [],
    throttleKey: null,
  });
  run.call = `call-${runs}`;
  return run;
}

function memoize(run: RunState, stepId: string, data: unknown): void {
  (run.steps as NonNullable<RunState["steps"]>)[stepId] = { type: "data", data };
  (run.stack as string[]).push(stepId);
}

/** One call request as the engine makes it: canonical body, signed. */
async function call(
  run: RunState,
  stepId = "step",
): Promise<{ outcome: CallOutcome; requestVersion: number | undefined }> {
  const id = run.functionId.slice(APP_ID.length + 1);
  const body = canonicalJson(callRequestPayload(run, definition(id)));
  const response = await postCall(id, body, signatureHeader(body, SIGNING_KEY), stepId);
  return {
    outcome: readCallResponse(response, Date.now()),
    requestVersion: answeredRequestVersion(response),
  };
}

function postCall(id: string, body: string, signature?: string, stepId = "step") {
  return calls.request(`${callUrlPrefix(appUrl, `${APP_ID}-${id}`)}${stepId}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(signature ? { "x-inngest-signature": signature } : {}),
    },
    body,
    timeoutMs: 10_000,
  });
}

function operationsOf(outcome: CallOutcome) {
  if (outcome.kind !== "operations") {
    throw new Error(`expected step operations, got ${JSON.stringify(outcome)}`);
  }
  return outcome.operations;
}
