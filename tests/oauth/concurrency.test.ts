import { describe, expect, it } from "vitest";
import {
  authLog,
  beginFlow,
  callUserinfo,
  codeFor,
  exchangeCode,
  refresh,
  registerClient,
  registerUser,
  signIn,
} from "./support";

/**
 * Races. On PostgreSQL these run on separate pooled connections; on PGlite they interleave on
 * one connection. Either way the database, not the event loop, must decide the winner.
 */
describe("concurrency", () => {
  it("lets exactly one of two concurrent exchanges of one code succeed", async () => {
    const client = await registerClient();
    const { code, verifier, authRequestId } = await codeFor(client);
    const results = await Promise.all([
      exchangeCode(client, code, verifier),
      exchangeCode(client, code, verifier),
    ]);
    const winners = results.filter((result) => result.status === 200);
    const losers = results.filter((result) => result.status !== 200);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]?.body.error).toBe("invalid_grant");
    // The loser presented a used code: a replay, so the winner's tokens are revoked too.
    expect((await authLog(authRequestId)).errorCode).toBe("code_replayed");
    expect((await callUserinfo(winners[0]?.body.access_token)).status).toBe(401);
  });

  it("lets exactly one of two concurrent refreshes with one token succeed", async () => {
    const client = await registerClient();
    const flow = await codeFor(client);
    const tokens = (await exchangeCode(client, flow.code, flow.verifier)).body;
    const results = await Promise.all([
      refresh(client, tokens.refresh_token),
      refresh(client, tokens.refresh_token),
    ]);
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    expect(results.find((result) => result.status !== 200)?.body.error).toBe("invalid_grant");
  });

  it("issues one code when the sign-in is submitted twice at once", async () => {
    const client = await registerClient();
    const user = await registerUser();
    const { authRequestId } = await beginFlow(client);
    const outcomes = await Promise.allSettled([
      signIn(authRequestId, user.id),
      signIn(authRequestId, user.id),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const journey = await authLog(authRequestId);
    expect(journey.events.filter((event) => event.type === "code_issued")).toHaveLength(1);
  });
});
