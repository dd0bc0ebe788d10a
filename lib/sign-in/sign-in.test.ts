import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AuthRequestClosedError,
  findAuthRequest,
  getAuthRequestWithEvents,
  openAuthRequest,
} from "@/lib/auth-logs/journey";
import { db } from "@/lib/db";
import { listOutbox } from "@/lib/mail";
import { completeAuthorization } from "@/lib/oauth/authorization";
import { addMembership } from "@/lib/organizations";
import { operatorScope } from "@/lib/organizations/scope";
import { findUser } from "@/lib/users";
import {
  createTestClient,
  createTestInterceptor,
  createTestOrganization,
  createTestUser,
  uniqueSuffix,
} from "@/tests/support/factories";
import {
  cancelSignIn,
  DIRECTORY_CONNECTION,
  INTERCEPTOR_UNAVAILABLE_MESSAGE,
  identifyUser,
  loadSignInView,
  passSignInGate,
  returnToApplication,
  StaleSignInStepError,
  sendEmailCode,
  verifyEmailCode,
  verifyPasswordStep,
} from "./index";

const browser = { ip: "198.51.100.7", userAgent: "vitest" };

beforeEach(() => {
  // The outbox mailer prints every code; keep the test output readable.
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** An auth request as /oauth/authorize opens it, for a registered client. */
async function openSignIn(overrides: { loginHint?: string; organizationId?: string } = {}) {
  const { client } = await createTestClient();
  const request = await db.transaction((tx) =>
    openAuthRequest(tx, {
      clientId: client.clientId,
      organizationId: overrides.organizationId ?? null,
      redirectUri: "https://app.example.com/callback",
      scope: "openid email",
      state: `state-${uniqueSuffix()}`,
      nonce: `nonce-${uniqueSuffix()}`,
      codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      codeChallengeMethod: "S256",
      prompt: "login",
      loginHint: overrides.loginHint ?? null,
      ip: "198.51.100.1",
      userAgent: "authorize",
    }),
  );
  return { client, request };
}

async function identified(options: { password?: string | null } = {}) {
  const organization = await createTestOrganization();
  const { user, password } = await createTestUser({
    email: `member-${uniqueSuffix()}@${organization.domains[0]}`,
    organizationId: organization.id,
    password: options.password,
  });
  const { client, request } = await openSignIn();
  await identifyUser({ authRequestId: request.id, email: user.email, client: browser });
  return { organization, user, password, client, request };
}

/** A real interceptor on 127.0.0.1 that answers DENY (the tests allow private targets). */
async function denyingServer(message: string) {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ decision: "DENY", error: { message } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

async function eventTypes(id: string) {
  return (await getAuthRequestWithEvents(id)).events.map((event) => event.type);
}

async function latestCodeFor(email: string): Promise<string> {
  const [message] = await listOutbox(operatorScope, { to: email, limit: 1 });
  const code = message?.text.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code mailed to ${email}`);
  return code;
}

describe("email step", () => {
  it("identifies a known user case-insensitively and finds the organization by email domain", async () => {
    const organization = await createTestOrganization({ name: "Acme Corp" });
    const domain = organization.domains[0] ?? "";
    const { user } = await createTestUser({ email: `ada-${uniqueSuffix()}@${domain}` });
    const { request } = await openSignIn();

    const outcome = await identifyUser({
      authRequestId: request.id,
      email: `  ${user.email.toUpperCase()} `,
      client: browser,
    });
    expect(outcome).toEqual({ kind: "identified", authRequestId: request.id });

    const journey = await getAuthRequestWithEvents(request.id);
    expect(journey).toMatchObject({
      status: "pending",
      userId: user.id,
      email: user.email,
      organizationId: organization.id,
      connection: "Acme Corp",
    });
    expect(journey.events.at(-1)).toMatchObject({
      type: "user_identified",
      status: "pending",
      detail: { user_id: user.id, discovered_by: "email_domain" },
    });
  });

  it("falls back to the user's only organization, and to none when there are several", async () => {
    const single = await createTestOrganization();
    const { user: member } = await createTestUser({ organizationId: single.id });
    const first = await openSignIn();
    await identifyUser({ authRequestId: first.request.id, email: member.email, client: browser });
    expect(await findAuthRequest(first.request.id)).toMatchObject({
      organizationId: single.id,
      connection: single.name,
    });

    await addMembership({
      userId: member.id,
      organizationId: (await createTestOrganization()).id,
      role: "member",
    });
    const second = await openSignIn();
    await identifyUser({ authRequestId: second.request.id, email: member.email, client: browser });
    expect(await findAuthRequest(second.request.id)).toMatchObject({
      organizationId: null,
      connection: DIRECTORY_CONNECTION,
    });
  });

  it("ends an unknown email in Failure unknown_user and continues on a retry request", async () => {
    const { request } = await openSignIn({ loginHint: "hint@example.com" });
    const typed = `nobody-${uniqueSuffix()}@example.com`;
    const outcome = await identifyUser({
      authRequestId: request.id,
      email: typed,
      client: browser,
    });
    if (outcome.kind !== "unknown_user") throw new Error("expected unknown_user");

    const failed = await getAuthRequestWithEvents(request.id);
    expect(failed).toMatchObject({ status: "failure", errorCode: "unknown_user", email: typed });
    expect(failed.events.at(-1)?.type).toBe("failed: unknown_user");

    const retry = await getAuthRequestWithEvents(outcome.retryAuthRequestId);
    expect(retry).toMatchObject({
      status: "initiated",
      retryOf: request.id,
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      scope: request.scope,
      state: request.state,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: "S256",
      prompt: "login",
      loginHint: "hint@example.com",
      ip: browser.ip,
      userAgent: browser.userAgent,
    });
    expect(retry.events.map((event) => [event.type, event.detail])).toEqual([
      ["authorize_received", { retry_of: request.id, reason: "unknown_user" }],
    ]);

    const view = await loadSignInView(outcome.retryAuthRequestId);
    expect(view).toMatchObject({
      step: "email",
      notice: "We couldn't find an account for that email.",
      defaultEmail: typed,
    });
  });

  it("prefills the login_hint and refuses a second email submission on the same request", async () => {
    const { user } = await createTestUser();
    const { request } = await openSignIn({ loginHint: user.email });
    expect(await loadSignInView(request.id)).toMatchObject({
      step: "email",
      defaultEmail: user.email,
      notice: null,
    });
    await identifyUser({ authRequestId: request.id, email: user.email, client: browser });
    await expect(
      identifyUser({ authRequestId: request.id, email: user.email, client: browser }),
    ).rejects.toBeInstanceOf(StaleSignInStepError);
  });
});

describe("password step", () => {
  it("records credentials_verified with authMethod password for the right password", async () => {
    const { request, password, organization } = await identified();
    expect(await loadSignInView(request.id)).toMatchObject({
      step: "credentials",
      hasPassword: true,
      codeSent: false,
      party: { organizationName: organization.name },
    });
    const outcome = await verifyPasswordStep({
      authRequestId: request.id,
      password: password ?? "",
      client: browser,
    });
    expect(outcome).toEqual({ kind: "verified", authRequestId: request.id });
    const journey = await getAuthRequestWithEvents(request.id);
    expect(journey).toMatchObject({ status: "pending", authMethod: "password" });
    expect(journey.events.at(-1)).toMatchObject({
      type: "credentials_verified",
      detail: { auth_method: "password" },
    });
    // Credentials are in: the sign-in page no longer offers any step for this request.
    expect(await loadSignInView(request.id)).toMatchObject({
      step: "unavailable",
      reason: "completed",
    });
  });

  it("ends a wrong password in Failure invalid_credentials and retries at the password step", async () => {
    const { request, user } = await identified();
    const outcome = await verifyPasswordStep({
      authRequestId: request.id,
      password: "wrong password",
      client: browser,
    });
    if (outcome.kind !== "rejected") throw new Error("expected rejected");
    // The log says how the failed attempt was made; the retry has not chosen a method yet.
    expect(await findAuthRequest(request.id)).toMatchObject({
      status: "failure",
      errorCode: "invalid_credentials",
      authMethod: "password",
    });
    const retry = await getAuthRequestWithEvents(outcome.retryAuthRequestId);
    expect(retry).toMatchObject({
      status: "pending",
      retryOf: request.id,
      userId: user.id,
      email: user.email,
      authMethod: null,
    });
    expect(retry.events.map((event) => event.type)).toEqual([
      "authorize_received",
      "user_identified",
    ]);
    expect(await loadSignInView(retry.id)).toMatchObject({
      step: "credentials",
      notice: "Wrong email or password.",
      email: user.email,
    });

    const second = await verifyPasswordStep({
      authRequestId: retry.id,
      password: "correct-horse-battery",
      client: browser,
    });
    expect(second).toEqual({ kind: "verified", authRequestId: retry.id });
  });

  it("refuses a password for a passwordless user as method_not_available", async () => {
    const { request } = await identified({ password: null });
    expect(await loadSignInView(request.id)).toMatchObject({ hasPassword: false });
    const outcome = await verifyPasswordStep({
      authRequestId: request.id,
      password: "anything",
      client: browser,
    });
    expect(outcome.kind).toBe("rejected");
    expect((await findAuthRequest(request.id))?.errorCode).toBe("method_not_available");
  });

  it("refuses steps on closed or abandoned requests", async () => {
    const { request, password } = await identified();
    await cancelSignIn(request.id);
    await expect(
      verifyPasswordStep({ authRequestId: request.id, password: password ?? "", client: browser }),
    ).rejects.toBeInstanceOf(AuthRequestClosedError);
    await expect(
      identifyUser({ authRequestId: "areq_missing", email: "a@example.com", client: browser }),
    ).rejects.toMatchObject({ status: "missing" });

    const stale = await openSignIn();
    vi.useFakeTimers({ now: Date.now() + 16 * 60_000, toFake: ["Date"] });
    try {
      await expect(
        identifyUser({ authRequestId: stale.request.id, email: "a@example.com", client: browser }),
      ).rejects.toBeInstanceOf(AuthRequestClosedError);
    } finally {
      vi.useRealTimers();
    }
    expect(await findAuthRequest(stale.request.id)).toMatchObject({
      status: "failure",
      errorCode: "expired",
    });
    expect(await loadSignInView(stale.request.id)).toMatchObject({
      step: "unavailable",
      reason: "expired",
    });
  });
});

describe("email code step", () => {
  it("mails a 6-digit code, logs email_code_sent without it, and accepts it once", async () => {
    const { request, user } = await identified({ password: null });
    const sent = await sendEmailCode({ authRequestId: request.id });
    expect(sent).toMatchObject({ kind: "sent", to: user.email });
    const code = await latestCodeFor(user.email);
    expect(code).toMatch(/^\d{6}$/);

    const journey = await getAuthRequestWithEvents(request.id);
    const sentEvent = journey.events.find((event) => event.type === "email_code_sent");
    expect(sentEvent?.detail).toMatchObject({ to: user.email, transport: "outbox" });
    expect(JSON.stringify(journey.events)).not.toContain(code);
    expect(await loadSignInView(request.id)).toMatchObject({
      step: "credentials",
      codeSent: true,
      codeExpiresAt: expect.any(Date),
    });

    const outcome = await verifyEmailCode({ authRequestId: request.id, code, client: browser });
    expect(outcome).toEqual({ kind: "verified", authRequestId: request.id });
    expect(await findAuthRequest(request.id)).toMatchObject({ authMethod: "email_code" });
    expect(await eventTypes(request.id)).toContain("credentials_verified");
    expect((await findUser(user.id))?.emailVerifiedAt).toBeInstanceOf(Date);
    await expect(
      verifyEmailCode({ authRequestId: request.id, code, client: browser }),
    ).rejects.toBeInstanceOf(StaleSignInStepError);
  });

  it("counts wrong codes and fails the attempt as invalid_email_code on the fifth", async () => {
    const { request, user } = await identified();
    await sendEmailCode({ authRequestId: request.id });
    const code = await latestCodeFor(user.email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (const remaining of [4, 3, 2, 1]) {
      expect(
        await verifyEmailCode({ authRequestId: request.id, code: wrong, client: browser }),
      ).toEqual({
        kind: "wrong_code",
        reason: "wrong",
        remainingAttempts: remaining,
      });
    }
    const fifth = await verifyEmailCode({
      authRequestId: request.id,
      code: wrong,
      client: browser,
    });
    if (fifth.kind !== "rejected") throw new Error("expected rejected");

    const journey = await getAuthRequestWithEvents(request.id);
    expect(journey).toMatchObject({
      status: "failure",
      errorCode: "invalid_email_code",
      authMethod: "email_code",
    });
    expect(journey.events.filter((event) => event.type === "email_code_rejected")).toHaveLength(5);
    // The right code is useless on the failed attempt; the retry needs a new one.
    await expect(
      verifyEmailCode({ authRequestId: request.id, code, client: browser }),
    ).rejects.toBeInstanceOf(AuthRequestClosedError);
    expect(await loadSignInView(fifth.retryAuthRequestId)).toMatchObject({
      step: "credentials",
      codeSent: false,
      notice: "Too many wrong codes. Request a new code to try again.",
    });
  });

  it("refuses an expired code", async () => {
    const { request, user } = await identified();
    await sendEmailCode({ authRequestId: request.id });
    const code = await latestCodeFor(user.email);
    const later = new Date(Date.now() + 11 * 60_000);
    expect(
      await verifyEmailCode({ authRequestId: request.id, code, client: browser, now: later }),
    ).toEqual({ kind: "wrong_code", reason: "expired", remainingAttempts: 4 });
    const rejected = (await getAuthRequestWithEvents(request.id)).events.at(-1);
    expect(rejected).toMatchObject({ type: "email_code_rejected", detail: { reason: "expired" } });
  });

  it("invalidates the previous code on resend and keeps counting tries across codes", async () => {
    const { request, user } = await identified();
    await sendEmailCode({ authRequestId: request.id });
    const first = await latestCodeFor(user.email);
    await sendEmailCode({ authRequestId: request.id });
    const second = await latestCodeFor(user.email);
    // Two random codes collide once in a million runs; then there is nothing to tell apart.
    if (first === second) return;

    expect(
      await verifyEmailCode({ authRequestId: request.id, code: first, client: browser }),
    ).toEqual({
      kind: "wrong_code",
      reason: "wrong",
      remainingAttempts: 4,
    });
    expect(
      await verifyEmailCode({ authRequestId: request.id, code: second, client: browser }),
    ).toEqual({
      kind: "verified",
      authRequestId: request.id,
    });
    expect(
      (await eventTypes(request.id)).filter((type) => type === "email_code_sent"),
    ).toHaveLength(2);
  });

  it("keeps counting tries across resent codes", async () => {
    const { request, user } = await identified();
    for (let n = 0; n < 4; n++) {
      await sendEmailCode({ authRequestId: request.id });
      const code = await latestCodeFor(user.email);
      const wrong = code === "000000" ? "111111" : "000000";
      await verifyEmailCode({ authRequestId: request.id, code: wrong, client: browser });
    }
    await sendEmailCode({ authRequestId: request.id });
    const code = await latestCodeFor(user.email);
    const wrong = code === "000000" ? "111111" : "000000";
    const fifth = await verifyEmailCode({
      authRequestId: request.id,
      code: wrong,
      client: browser,
    });
    expect(fifth.kind).toBe("rejected");
  });

  it("stops sending after five codes for one request", async () => {
    const { request } = await identified();
    for (let n = 0; n < 5; n++) {
      expect((await sendEmailCode({ authRequestId: request.id })).kind).toBe("sent");
    }
    expect(await sendEmailCode({ authRequestId: request.id })).toEqual({ kind: "too_many_codes" });
  });
});

describe("after credentials", () => {
  it("passes the gate and completes the authorization with a code for the client", async () => {
    const { request, password } = await identified();
    await verifyPasswordStep({
      authRequestId: request.id,
      password: password ?? "",
      client: browser,
    });
    const gate = await passSignInGate({ authRequestId: request.id, client: browser });
    if (gate.kind !== "allowed") throw new Error("expected allowed");
    expect(gate.authMethod).toBe("password");
    const { redirectTo, session } = await completeAuthorization({
      authRequestId: request.id,
      userId: gate.userId,
      authMethod: gate.authMethod,
      organizationId: gate.organizationId,
    });
    const url = new URL(redirectTo);
    expect(url.origin + url.pathname).toBe("https://app.example.com/callback");
    expect(url.searchParams.get("code")).toBeTruthy();
    expect(url.searchParams.get("state")).toBe(request.state);
    expect(session.httpOnly).toBe(true);
    expect(await eventTypes(request.id)).toContain("code_issued");
    expect(await loadSignInView(request.id)).toMatchObject({
      step: "unavailable",
      reason: "completed",
    });
  });

  it("shows an interceptor's DENY message and returns to the client with access_denied", async () => {
    const { request, password, organization } = await identified();
    const hook = await denyingServer("Sign-ins from this network are blocked");
    try {
      await createTestInterceptor(organization.id, { name: "deny", url: hook.url });
      await verifyPasswordStep({
        authRequestId: request.id,
        password: password ?? "",
        client: browser,
      });
      expect(await passSignInGate({ authRequestId: request.id, client: browser })).toEqual({
        kind: "blocked",
      });
    } finally {
      hook.close();
    }
    expect(await loadSignInView(request.id)).toMatchObject({
      step: "blocked",
      message: "Sign-ins from this network are blocked",
      canReturn: true,
    });
    const location = await returnToApplication(request.id);
    const url = new URL(location ?? "");
    expect(url.origin + url.pathname).toBe("https://app.example.com/callback");
    expect(url.searchParams.get("error")).toBe("access_denied");
    expect(url.searchParams.get("state")).toBe(request.state);
    expect(url.searchParams.get("iss")).toBe("http://localhost:3000");
  });

  it("explains an interceptor that failed closed", async () => {
    const { request, password, organization } = await identified();
    // Nothing listens on port 9 (discard): the call fails at once and the fallback applies.
    await createTestInterceptor(organization.id, {
      name: "unreachable",
      url: "http://127.0.0.1:9/hook",
      timeoutMs: 500,
    });
    await verifyPasswordStep({
      authRequestId: request.id,
      password: password ?? "",
      client: browser,
    });
    expect((await passSignInGate({ authRequestId: request.id, client: browser })).kind).toBe(
      "blocked",
    );
    expect(await loadSignInView(request.id)).toMatchObject({
      step: "blocked",
      message: INTERCEPTOR_UNAVAILABLE_MESSAGE,
      canReturn: true,
    });
  });

  it("cancels an open request with access_denied and refuses to return from an open one", async () => {
    const { request } = await openSignIn();
    expect(await returnToApplication(request.id)).toBeNull();
    const location = await cancelSignIn(request.id);
    expect(new URL(location ?? "").searchParams.get("error")).toBe("access_denied");
    expect(await findAuthRequest(request.id)).toMatchObject({
      status: "failure",
      errorCode: "user_cancelled",
    });
    expect(await cancelSignIn(request.id)).toBeNull();
    expect(await loadSignInView(request.id)).toMatchObject({
      step: "unavailable",
      canReturn: false,
    });
    expect(await loadSignInView("areq_nope")).toMatchObject({
      step: "unavailable",
      reason: "missing",
    });
  });
});
