import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import {
  AuthRequestClosedError,
  failAuthRequest,
  getAuthRequestWithEvents,
  openAuthRequest,
  sweepAbandonedAuthRequests,
  transitionAuthRequest,
} from "./journey";

const open = () => db.transaction((tx) => openAuthRequest(tx, { clientId: "app_test" }));

describe("auth-log journey", () => {
  it("moves Initiated → Pending → Success and records each event in order", async () => {
    const request = await open();
    await db.transaction((tx) =>
      transitionAuthRequest(
        tx,
        request.id,
        "pending",
        { type: "user_identified" },
        {
          email: "ada@example.com",
        },
      ),
    );
    await db.transaction((tx) =>
      transitionAuthRequest(tx, request.id, "success", { type: "code_exchanged" }),
    );
    const journey = await getAuthRequestWithEvents(request.id);
    expect(journey.status).toBe("success");
    expect(journey.email).toBe("ada@example.com");
    expect(journey.completedAt).toBeInstanceOf(Date);
    expect(journey.events.map((event) => [event.type, event.status])).toEqual([
      ["authorize_received", "initiated"],
      ["user_identified", "pending"],
      ["code_exchanged", "success"],
    ]);
  });

  it("refuses to skip Pending or to leave Failure", async () => {
    const request = await open();
    await expect(
      db.transaction((tx) => transitionAuthRequest(tx, request.id, "success", { type: "x" })),
    ).rejects.toBeInstanceOf(AuthRequestClosedError);
    await db.transaction((tx) => failAuthRequest(tx, request.id, "user_cancelled"));
    await expect(
      db.transaction((tx) => transitionAuthRequest(tx, request.id, "pending", { type: "x" })),
    ).rejects.toMatchObject({ status: "failure" });
    const journey = await getAuthRequestWithEvents(request.id);
    expect(journey.errorCode).toBe("user_cancelled");
    expect(journey.events.at(-1)?.type).toBe("failed: user_cancelled");
  });

  it("lets exactly one of two racing completions win", async () => {
    const request = await open();
    await db.transaction((tx) =>
      transitionAuthRequest(tx, request.id, "pending", { type: "user_identified" }),
    );
    const outcomes = await Promise.allSettled([
      db.transaction((tx) => transitionAuthRequest(tx, request.id, "success", { type: "a" })),
      db.transaction((tx) => transitionAuthRequest(tx, request.id, "success", { type: "b" })),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const journey = await getAuthRequestWithEvents(request.id);
    expect(journey.events.filter((event) => event.status === "success")).toHaveLength(1);
  });

  it("sweeps requests left open past the timeout as Failure expired", async () => {
    const request = await open();
    const later = new Date(Date.now() + 16 * 60_000);
    expect(await sweepAbandonedAuthRequests(15 * 60_000, later)).toBeGreaterThanOrEqual(1);
    const journey = await getAuthRequestWithEvents(request.id);
    expect(journey.status).toBe("failure");
    expect(journey.errorCode).toBe("expired");
  });
});
