import type { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { POST, PUT } from "@/app/api/inngest/route";

const garbage = (method: string) =>
  new Request("http://localhost:3000/api/inngest?fnId=gatehouse-deliver-webhook&stepId=step", {
    method,
    headers: { "content-type": "application/json" },
    body: "not json",
  }) as unknown as NextRequest;

// The SDK parses the body before it checks the signature and lets the JSON error escape; Next.js
// answered those requests with a 500.
describe("/api/inngest", () => {
  it("answers a body that is not JSON with a 400", async () => {
    for (const [method, handler] of [
      ["POST", POST],
      ["PUT", PUT],
    ] as const) {
      const response = await handler(garbage(method), {});
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ message: "The request body is not valid JSON" });
    }
  });

  it("still refuses an unsigned call the SDK can read", async () => {
    // The app's client is in signed mode, as behind the embedded engine or Inngest Cloud.
    const unsigned = new Request(
      "http://localhost:3000/api/inngest?fnId=gatehouse-deliver-webhook&stepId=step",
      { method: "POST", headers: { "content-type": "application/json" }, body: "{}" },
    ) as unknown as NextRequest;
    const response = await POST(unsigned, {});
    expect(response.status).toBe(401);
  });
});
