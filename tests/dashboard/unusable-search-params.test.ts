import { describe, expect, it } from "vitest";
import { authLogSearchParamRules } from "@/app/(dashboard)/auth-logs/url-filters";
import { oneOf, unusableSearchParams } from "@/lib/dashboard/unusable-search-params";

describe("unusableSearchParams", () => {
  it("says nothing about a link the page can use in full", () => {
    expect(
      unusableSearchParams(
        {
          range: "custom",
          from: "2026-11-20T08:00:00Z",
          to: "2026-11-21",
          email: "ada*",
          status: "failure,pending",
          org: "org_1",
          limit: "50",
          cursor: "abc",
          unrelated: "kept out of it",
        },
        authLogSearchParamRules,
      ),
    ).toEqual([]);
  });

  it("names each value it had to ignore and what the key takes instead", () => {
    expect(
      unusableSearchParams(
        {
          range: "99d",
          from: "2026-13-45T00:00:00Z",
          to: "0000-01-01T00:00:00Z",
          status: "failure,bogus,FAILURE",
          email: "a\u0000b",
          limit: "1000000",
        },
        authLogSearchParamRules,
      ),
    ).toEqual([
      'Time range "99d" was ignored: use "15m", "1h", "24h", "7d", "30d" or "custom".',
      'From "2026-13-45T00:00:00Z" was ignored: use an ISO 8601 date and time between the years 0001 and 9999, such as 2026-11-20T08:00:00Z.',
      'To "0000-01-01T00:00:00Z" was ignored: use an ISO 8601 date and time between the years 0001 and 9999, such as 2026-11-20T08:00:00Z.',
      'Email "a\\u0000b" was ignored: use an email address, or its beginning followed by *.',
      'Status "bogus", "FAILURE" were ignored: use "initiated", "pending", "success" or "failure", several separated by commas.',
      'Page size "1000000" was ignored: use "25", "50" or "100".',
    ]);
  });

  it("says a key given more than once is read once", () => {
    expect(
      unusableSearchParams({ status: ["failure", "pending"] }, authLogSearchParamRules),
    ).toEqual([
      'Status was given 2 times; only the first is used ("initiated", "pending", "success" or "failure", several separated by commas).',
    ]);
  });
});

describe("oneOf", () => {
  it("lists values as they are written in a URL", () => {
    expect(oneOf(["a"])).toBe('"a"');
    expect(oneOf([25, 50])).toBe('"25" or "50"');
  });
});
