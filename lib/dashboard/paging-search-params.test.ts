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
