import { createLoader } from "nuqs/server";
import { describe, expect, it } from "vitest";
import { authLogSearchParams } from "@/app/(dashboard)/auth-logs/search-params";
import { deliveryLogSearchParams } from "@/app/(dashboard)/webhooks/[endpointId]/search-params";

describe("free text in a dashboard URL", () => {
  const loadAuthLogs = createLoader(authLogSearchParams);
  const loadDeliveries = createLoader(deliveryLogSearchParams);

  it("is read as written", () => {
    const params = loadAuthLogs("?email=Ada*&org=org_1&cursor=abc");
    expect(params).toMatchObject({ email: "Ada*", org: "org_1", cursor: "abc" });
    expect(loadDeliveries("?type=user.login").type).toBe("user.login");
  });

  // The database cannot compare text with a NUL; such a value used to reach it and fail the page.
  it("is dropped when it holds a NUL, like any value a parser cannot read", () => {
    const params = loadAuthLogs("?email=a%00*&org=%00&cursor=x%00&status=failure");
    expect(params).toMatchObject({ email: null, org: null, cursor: null, status: ["failure"] });
    expect(loadDeliveries("?type=user.login%00").type).toBeNull();
  });
});

describe("a custom time range in a dashboard URL", () => {
  const load = createLoader(authLogSearchParams);

  it("is read as written, to the millisecond", () => {
    const params = load("?range=custom&from=2026-11-01T00:00:00.000Z&to=2026-11-02T12:30:00.250Z");
    expect(params.from).toEqual(new Date("2026-11-01T00:00:00.000Z"));
    expect(params.to).toEqual(new Date("2026-11-02T12:30:00.250Z"));
  });

  // The database refuses these instants as JavaScript writes them; the page used to fail.
  it("drops a bound outside the years 0001 to 9999", () => {
    const params = load("?range=custom&from=0000-06-01T00:00:00.000Z&to=%2B010000-01-01T00:00:00Z");
    expect(params).toMatchObject({ range: "custom", from: null, to: null });
  });
});
