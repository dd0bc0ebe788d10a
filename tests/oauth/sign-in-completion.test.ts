import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { authRequests } from "@/db/schema";
import { AuthRequestClosedError, transitionAuthRequest } from "@/lib/auth-logs/journey";
import { db } from "@/lib/db";
import {
  completeAuthorization,
  denyAuthorization,
  SessionRequiredError,
} from "@/lib/oauth/authorization";
import { readSession } from "@/lib/sessions";
import {
  authLog,
  beginFlow,
  exchangeCode,
  ISSUER,
  REDIRECT_URI,
  registerClient,
  registerUser,
  signIn,
} from "./support";

/** The two calls the sign-in UI makes: completeAuthorization and denyAuthorization. */
describe("completeAuthorization", () => {
  it("returns a Lax, HttpOnly session cookie for a live 12 h session", async () => {
    const client = await registerClient();
    const user = await registerUser();
    const { authRequestId } = await beginFlow(client);
    const { session } = await signIn(authRequestId, user.id, "email_code");
    expect(session).toMatchObject({
      name: "gatehouse_session",
      httpOnly: true,
      sameSite: "lax",
      secure: false,
      path: "/",
    });
    const stored = await readSession(session.value);
    expect(stored?.userId).toBe(user.id);
    expect(stored?.authMethod).toBe("email_code");
    const hours = (session.expires.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
  });

  it("records user_authenticated when the sign-in UI already moved the request to Pending", async () => {
    const client = await registerClient();
    const user = await registerUser();
    const { authRequestId } = await beginFlow(client);
    await db.transaction((tx) =>
      transitionAuthRequest(tx, authRequestId, "pending", { type: "user_identified" }),
    );
    await signIn(authRequestId, user.id);
    const journey = await authLog(authRequestId);
    expect(journey.events.map((event) => event.type)).toEqual([
      "authorize_received",
      "user_identified",
      "user_authenticated",
      "code_issued",
    ]);
    expect(journey.authMethod).toBe("password");
  });

  it("issues one code per request: a second completion is refused", async () => {
    const client = await registerClient();
    const user = await registerUser();
    const { authRequestId } = await beginFlow(client);
    await signIn(authRequestId, user.id);
    await expect(signIn(authRequestId, user.id)).rejects.toBeInstanceOf(AuthRequestClosedError);
  });

  it("refuses a request that already ended", async () => {
    const client = await registerClient();
    const user = await registerUser();
    const { authRequestId, verifier } = await beginFlow(client);
    const { code } = await signIn(authRequestId, user.id);
    await exchangeCode(client, code, verifier);
    await expect(signIn(authRequestId, user.id)).rejects.toMatchObject({ status: "success" });
  });

  it("fails a request left open past the timeout as expired", async () => {
    const client = await registerClient();
    const user = await registerUser();
    const { authRequestId } = await beginFlow(client);
    await db
      .update(authRequests)
      .set({ createdAt: new Date(Date.now() - 60 * 60 * 1000) })
      .where(eq(authRequests.id, authRequestId));
    await expect(signIn(authRequestId, user.id)).rejects.toBeInstanceOf(AuthRequestClosedError);
    expect((await authLog(authRequestId)).errorCode).toBe("expired");
  });

  it("requires the browser's own session for authMethod session", async () => {
    const client = await registerClient();
    const user = await registerUser();
    const other = await registerUser();
    const first = await beginFlow(client);
    const { session } = await signIn(first.authRequestId, other.id);
    const { authRequestId } = await beginFlow(client);
    await expect(
      completeAuthorization({ authRequestId, userId: user.id, authMethod: "session" }),
    ).rejects.toBeInstanceOf(SessionRequiredError);
    await expect(
      completeAuthorization({
        authRequestId,
        userId: user.id,
        authMethod: "session",
        sessionCookie: session.value,
      }),
    ).rejects.toBeInstanceOf(SessionRequiredError);
  });
});

describe("denyAuthorization", () => {
  it("fails the request and sends access_denied back with state and iss", async () => {
    const client = await registerClient();
    const { authRequestId, params } = await beginFlow(client);
    const { redirectTo } = await denyAuthorization(authRequestId, "user_cancelled");
    const url = new URL(redirectTo);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
    expect(url.searchParams.get("error")).toBe("access_denied");
    expect(url.searchParams.get("error_description")).toBe("The user cancelled the sign-in.");
    expect(url.searchParams.get("state")).toBe(params.state);
    expect(url.searchParams.get("iss")).toBe(ISSUER);
    const journey = await authLog(authRequestId);
    expect(journey.status).toBe("failure");
    expect(journey.errorCode).toBe("user_cancelled");
  });

  it("keeps an interceptor's message readable and the URL well-formed", async () => {
    const client = await registerClient();
    const { authRequestId } = await beginFlow(client);
    const { redirectTo } = await denyAuthorization(
      authRequestId,
      "interceptor_rejected",
      'Blocked: "risk" \\ score\nhigh — é',
    );
    const description = new URL(redirectTo).searchParams.get("error_description") ?? "";
    expect(description).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/);
    expect(description).toContain("Blocked:");
    expect((await authLog(authRequestId)).errorDescription).toContain("risk");
  });

  it("cannot turn a completed sign-in into a failure", async () => {
    const client = await registerClient();
    const user = await registerUser();
    const { authRequestId, verifier } = await beginFlow(client);
    const { code } = await signIn(authRequestId, user.id);
    await exchangeCode(client, code, verifier);
    await expect(denyAuthorization(authRequestId, "user_cancelled")).rejects.toBeInstanceOf(
      AuthRequestClosedError,
    );
    expect((await authLog(authRequestId)).status).toBe("success");
  });

  it("makes the code of a denied request worthless", async () => {
    const client = await registerClient();
    const user = await registerUser();
    const { authRequestId, verifier } = await beginFlow(client);
    const { code } = await signIn(authRequestId, user.id);
    await denyAuthorization(authRequestId, "interceptor_rejected");
    const exchange = await exchangeCode(client, code, verifier);
    expect(exchange.status).toBe(400);
    expect(exchange.body.error).toBe("invalid_grant");
  });
});
