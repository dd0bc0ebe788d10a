import { describe, expect, it } from "vitest";
import { describeMatchCount } from "./match-count";
import { queryStringOf, safeReturnPath, signInPath } from "./return-path";
import { dashboardScopeFor, type MembershipForAccess } from "./scope";

const membership = (overrides: Partial<MembershipForAccess>): MembershipForAccess => ({
  organizationId: "org_a",
  organizationName: "Acme",
  role: "admin",
  isOperator: false,
  ...overrides,
});

describe("dashboard access", () => {
  it("gives operator admins every organization", () => {
    const access = dashboardScopeFor([
      membership({ organizationId: "org_c" }),
      membership({ organizationId: "org_op", isOperator: true }),
    ]);
    expect(access).toEqual({ scope: { kind: "operator" }, organization: null });
  });

  it("gives a customer admin their organization only", () => {
    expect(dashboardScopeFor([membership({})])).toEqual({
      scope: { kind: "organization", organizationId: "org_a" },
      organization: { id: "org_a", name: "Acme" },
    });
  });

  it("gives members, including operator members, nothing", () => {
    expect(dashboardScopeFor([membership({ role: "member", isOperator: true })])).toBeNull();
    expect(dashboardScopeFor([])).toBeNull();
  });
});

describe("return path after sign-in", () => {
  it("keeps paths with their filters and refuses other origins", () => {
    expect(safeReturnPath("/auth-logs?status=failure&email=ada*")).toBe(
      "/auth-logs?status=failure&email=ada*",
    );
    expect(safeReturnPath("https://evil.example/")).toBe("/auth-logs");
    expect(safeReturnPath("//evil.example/")).toBe("/auth-logs");
    expect(safeReturnPath("/\\evil.example")).toBe("/auth-logs");
    expect(safeReturnPath(null)).toBe("/auth-logs");
    expect(signInPath("/auth-logs?org=1")).toBe(
      "/api/auth/signin?callbackUrl=%2Fauth-logs%3Forg%3D1",
    );
  });

  it("rebuilds a page's query string as it came, repeated keys included", () => {
    expect(queryStringOf({})).toBe("");
    expect(queryStringOf({ status: ["failure", "pending"], email: "ada*", org: undefined })).toBe(
      "?status=failure&status=pending&email=ada*",
    );
  });
});

describe("match count in words", () => {
  const noun = { one: "entry", many: "entries" };
  it("says exact, estimated and bounded counts differently", () => {
    expect(describeMatchCount({ total: 1, exact: true, atLeast: false }, noun)).toBe(
      "1 matching entry",
    );
    expect(describeMatchCount({ total: 9_999, exact: true, atLeast: false }, noun)).toBe(
      "9,999 matching entries",
    );
    expect(describeMatchCount({ total: 230_412, exact: false, atLeast: false }, noun)).toBe(
      "About 230,412 matching entries (estimated)",
    );
    expect(describeMatchCount({ total: 10_001, exact: false, atLeast: true }, noun)).toBe(
      "More than 10,000 matching entries",
    );
  });
});
