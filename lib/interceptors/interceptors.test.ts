import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWith } from "@/lib/api/route";
import {
  getAuthRequestWithEvents,
  openAuthRequest,
  transitionAuthRequest,
} from "@/lib/auth-logs/journey";
import { db } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { operatorScope, organizationScope } from "@/lib/organizations/scope";
import { createTestOrganization, createTestUser } from "@/tests/support/factories";
import {
  createInterceptor,
  deleteInterceptor,
  getInterceptor,
  listInterceptors,
  runPreSignInInterceptors,
  updateInterceptor,
} from "./index";
import { interceptorCreateSchema } from "./schema";

type Received = { path: string; headers: IncomingHttpHeaders; body: string };

// A real receiver on 127.0.0.1 (allowed because the tests set WEBHOOK_ALLOW_PRIVATE_TARGETS).
let server: Server;
let base: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ path: request.url ?? "", headers: request.headers, body });
      const reply = (status: number, json: string) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(json);
      };
      switch (new URL(request.url ?? "/", "http://x").pathname) {
        case "/allow":
          return reply(200, '{"decision":"ALLOW"}');
        case "/deny":
          return reply(
            200,
            '{"decision":"DENY","error":{"message":"Contractors sign in via VPN"}}',
          );
        case "/slow":
          return setTimeout(() => reply(200, '{"decision":"ALLOW"}'), 1_500);
        case "/broken":
          return reply(500, '{"decision":"ALLOW"}');
        case "/deny-nul":
          return reply(200, '{"decision":"DENY","error":{"message":"No\\u0000 entry"}}');
        case "/binary":
          return reply(200, "\u0000\u0001binary");
        default:
          return reply(200, "<html>not json</html>");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function signInContext() {
  const organization = await createTestOrganization();
  const { user } = await createTestUser({ organizationId: organization.id });
  const authRequest = await db.transaction(async (tx) => {
    const opened = await openAuthRequest(tx, { clientId: "ghc_test" });
    return transitionAuthRequest(
      tx,
      opened.id,
      "pending",
      { type: "user_identified" },
      { userId: user.id, email: user.email, organizationId: organization.id },
    );
  });
  return {
    organization,
    context: {
      authRequest,
      user,
      organization: { id: organization.id, name: organization.name },
      client: { clientId: "ghc_test", name: "Test App" },
      ip: "203.0.113.9",
      userAgent: "vitest",
    },
  };
}

const eventsOf = async (id: string) =>
  (await getAuthRequestWithEvents(id)).events.map((event) => event.type);

describe("interceptor data", () => {
  it("creates with a generated whsec_ secret and defaults, then updates and deletes", async () => {
    const { organization } = await signInContext();
    const created = await createInterceptor(operatorScope, {
      name: "VPN check",
      url: `${base}/allow`,
      organizationId: organization.id,
    });
    expect(created).toMatchObject({
      name: "VPN check",
      timeoutMs: 5000,
      fallback: "fail_closed",
      enabled: true,
      organizationId: organization.id,
    });
    expect(Buffer.from(created.secret.replace(/^whsec_/, ""), "base64")).toHaveLength(32);
    expect(
      (await listInterceptors(organizationScope(organization.id))).map((row) => row.id),
    ).toEqual([created.id]);

    const updated = await updateInterceptor(operatorScope, created.id, {
      enabled: false,
      timeoutMs: 800,
    });
    expect(updated).toMatchObject({ enabled: false, timeoutMs: 800, name: "VPN check" });
    expect((await getInterceptor(operatorScope, created.id)).enabled).toBe(false);

    await deleteInterceptor(operatorScope, created.id);
    await expect(getInterceptor(operatorScope, created.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteInterceptor(operatorScope, created.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("refuses bad input with API field names", async () => {
    expect(() => parseWith(interceptorCreateSchema, { name: "", url: "nope" })).toThrow(
      expect.objectContaining({ fields: { name: expect.any(String), url: expect.any(String) } }),
    );
    expect(() =>
      parseWith(interceptorCreateSchema, {
        name: "x",
        url: `${base}/allow`,
        secret: "whsec_short",
      }),
    ).toThrow(expect.objectContaining({ fields: { secret: expect.any(String) } }));
    await expect(
      createInterceptor(operatorScope, {
        name: "x",
        url: `${base}/allow`,
        organizationId: "org_missing",
      }),
    ).rejects.toMatchObject({ fields: { organization_id: expect.any(String) } });
  });

  it("keeps an organization's interceptors to that organization", async () => {
    const [own, other] = [await createTestOrganization(), await createTestOrganization()];
    const mine = organizationScope(own.id);
    const created = await createInterceptor(mine, { name: "own", url: `${base}/allow` });
    expect(created.organizationId).toBe(own.id);
    const theirs = organizationScope(other.id);
    await expect(getInterceptor(theirs, created.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateInterceptor(theirs, created.id, { enabled: false })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(deleteInterceptor(theirs, created.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listInterceptors(theirs)).map((row) => row.id)).not.toContain(created.id);
    await expect(
      createInterceptor(mine, { name: "global", url: `${base}/allow`, organizationId: null }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      updateInterceptor(mine, created.id, { organizationId: other.id }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect((await getInterceptor(mine, created.id)).enabled).toBe(true);
  });
});

describe("runPreSignInInterceptors", () => {
  it("sends a signed pre_sign_in context and continues on ALLOW", async () => {
    const { organization, context } = await signInContext();
    const hook = await createInterceptor(operatorScope, {
      name: "allow",
      url: `${base}/allow`,
      organizationId: organization.id,
    });
    const outcome = await runPreSignInInterceptors(context);
    expect(outcome).toEqual({ decision: "allow" });

    const call = received.findLast((entry) => entry.body.includes(context.authRequest.id));
    expect(call?.headers["content-type"]).toBe("application/json");
    const body = new Webhook(hook.secret).verify(call?.body ?? "", {
      "webhook-id": String(call?.headers["webhook-id"]),
      "webhook-timestamp": String(call?.headers["webhook-timestamp"]),
      "webhook-signature": String(call?.headers["webhook-signature"]),
    });
    expect(body).toMatchObject({
      type: "pre_sign_in",
      auth_request_id: context.authRequest.id,
      user: { id: context.user.id, email: context.user.email, name: "Test User" },
      organization: { id: organization.id, name: organization.name },
      client: { client_id: "ghc_test", name: "Test App" },
      ip: "203.0.113.9",
      user_agent: "vitest",
      occurred_at: expect.any(String),
    });

    const journey = await getAuthRequestWithEvents(context.authRequest.id);
    expect(journey.status).toBe("pending");
    const allowed = journey.events.find((event) => event.type === "interceptor_allowed");
    expect(allowed?.detail).toMatchObject({
      interceptor_id: hook.id,
      url: hook.url,
      decision: "ALLOW",
      latency_ms: expect.any(Number),
    });
  });

  it("ends the request in Failure interceptor_rejected with the message on DENY", async () => {
    const { organization, context } = await signInContext();
    await createInterceptor(operatorScope, {
      name: "a",
      url: `${base}/allow`,
      organizationId: organization.id,
    });
    const deny = await createInterceptor(operatorScope, {
      name: "b",
      url: `${base}/deny`,
      organizationId: organization.id,
    });
    const last = await createInterceptor(operatorScope, {
      name: "c",
      url: `${base}/allow?never`,
      organizationId: organization.id,
    });

    const outcome = await runPreSignInInterceptors(context);
    expect(outcome).toEqual({
      decision: "deny",
      interceptorId: deny.id,
      message: "Contractors sign in via VPN",
    });
    const journey = await getAuthRequestWithEvents(context.authRequest.id);
    expect(journey).toMatchObject({ status: "failure", errorCode: "interceptor_rejected" });
    expect(journey.events.map((event) => event.type)).toEqual([
      "authorize_received",
      "user_identified",
      "interceptor_allowed",
      "interceptor_denied",
      "failed: interceptor_rejected",
    ]);
    expect(journey.events.at(-1)?.detail).toMatchObject({
      interceptor_id: deny.id,
      message: "Contractors sign in via VPN",
    });
    // The first DENY stops the run.
    expect(received.some((entry) => entry.path === `${new URL(last.url).pathname}?never`)).toBe(
      false,
    );
  });

  it("times out after timeout_ms and follows fail_open", async () => {
    const { organization, context } = await signInContext();
    await createInterceptor(operatorScope, {
      name: "slow",
      url: `${base}/slow`,
      timeoutMs: 200,
      fallback: "fail_open",
      organizationId: organization.id,
    });
    const started = Date.now();
    expect(await runPreSignInInterceptors(context)).toEqual({ decision: "allow" });
    expect(Date.now() - started).toBeLessThan(1_200);
    const journey = await getAuthRequestWithEvents(context.authRequest.id);
    expect(journey.status).toBe("pending");
    const failedOpen = journey.events.find((event) => event.type === "interceptor_failed_open");
    expect(failedOpen?.detail).toMatchObject({
      error: expect.stringMatching(/^timeout/),
      fallback: "fail_open",
    });
  });

  it("times out and follows fail_closed with Failure interceptor_unavailable", async () => {
    const { organization, context } = await signInContext();
    const slow = await createInterceptor(operatorScope, {
      name: "slow",
      url: `${base}/slow`,
      timeoutMs: 200,
      fallback: "fail_closed",
      organizationId: organization.id,
    });
    expect(await runPreSignInInterceptors(context)).toEqual({
      decision: "unavailable",
      interceptorId: slow.id,
    });
    const journey = await getAuthRequestWithEvents(context.authRequest.id);
    expect(journey).toMatchObject({ status: "failure", errorCode: "interceptor_unavailable" });
    expect(journey.events.at(-1)?.detail).toMatchObject({
      interceptor_id: slow.id,
      error: expect.stringMatching(/^timeout/),
    });
  });

  it("treats non-2xx and unreadable answers as failures", async () => {
    const open = await signInContext();
    await createInterceptor(operatorScope, {
      name: "500",
      url: `${base}/broken`,
      fallback: "fail_open",
      organizationId: open.organization.id,
    });
    await createInterceptor(operatorScope, {
      name: "html",
      url: `${base}/garbage`,
      fallback: "fail_open",
      organizationId: open.organization.id,
    });
    expect(await runPreSignInInterceptors(open.context)).toEqual({ decision: "allow" });
    const journey = await getAuthRequestWithEvents(open.context.authRequest.id);
    const errors = journey.events
      .filter((event) => event.type === "interceptor_failed_open")
      .map((event) => event.detail.error);
    expect(errors).toEqual(["HTTP 500", expect.stringMatching(/^invalid response/)]);

    const closed = await signInContext();
    await createInterceptor(operatorScope, {
      name: "500",
      url: `${base}/broken`,
      organizationId: closed.organization.id,
    });
    expect((await runPreSignInInterceptors(closed.context)).decision).toBe("unavailable");
    expect(await eventsOf(closed.context.authRequest.id)).toContain(
      "failed: interceptor_unavailable",
    );
  });

  // The auth log's text and jsonb columns cannot hold NUL; before, such an answer failed the
  // sign-in with a database error and left no trace of the interceptor's decision.
  it("keeps a DENY message or an unreadable answer holding NUL, each NUL as U+FFFD", async () => {
    const denied = await signInContext();
    await createInterceptor(operatorScope, {
      name: "nul",
      url: `${base}/deny-nul`,
      organizationId: denied.organization.id,
    });
    expect(await runPreSignInInterceptors(denied.context)).toMatchObject({
      decision: "deny",
      message: "No\uFFFD entry",
    });
    const journey = await getAuthRequestWithEvents(denied.context.authRequest.id);
    expect(journey).toMatchObject({ status: "failure", errorCode: "interceptor_rejected" });
    expect(journey.events.at(-1)?.detail).toMatchObject({ message: "No\uFFFD entry" });

    const unreadable = await signInContext();
    await createInterceptor(operatorScope, {
      name: "binary",
      url: `${base}/binary`,
      fallback: "fail_open",
      organizationId: unreadable.organization.id,
    });
    expect(await runPreSignInInterceptors(unreadable.context)).toEqual({ decision: "allow" });
    const failed = (await getAuthRequestWithEvents(unreadable.context.authRequest.id)).events.find(
      (event) => event.type === "interceptor_failed_open",
    );
    expect(failed?.detail.error).toBe("invalid response: \uFFFD\u0001binary");
  });

  it("runs global interceptors for every organization and skips disabled ones", async () => {
    const { context } = await signInContext();
    // Global rows apply to every sign-in in a shared database, so this one only ever allows.
    const marker = `global-${context.authRequest.id}`;
    const global = await createInterceptor(operatorScope, {
      name: "global",
      url: `${base}/allow?${marker}`,
    });
    const other = await createTestOrganization();
    await createInterceptor(operatorScope, {
      name: "other org",
      url: `${base}/deny`,
      organizationId: other.id,
    });
    const calls = () => received.filter((entry) => entry.path.endsWith(marker)).length;
    try {
      await updateInterceptor(operatorScope, global.id, { enabled: false });
      expect(await runPreSignInInterceptors(context)).toEqual({ decision: "allow" });
      expect(calls()).toBe(0);
      await updateInterceptor(operatorScope, global.id, { enabled: true });
      expect(await runPreSignInInterceptors(context)).toEqual({ decision: "allow" });
      expect(calls()).toBe(1);
    } finally {
      await deleteInterceptor(operatorScope, global.id);
    }
  });
});
