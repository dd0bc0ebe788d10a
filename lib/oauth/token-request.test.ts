import { describe, expect, it } from "vitest";
import { readBasicCredentials } from "./client-authentication";
import { ClientAuthenticationError, OAuthError, toErrorDescription } from "./errors";
import { checkCodeBinding } from "./grants/authorization-code";
import { uniqueParams } from "./params";
import { s256CodeChallenge } from "./pkce";
import { isSubsetOf, splitScope } from "./scopes";

/** The pure checks behind the token endpoint. */
const verifier = "v".repeat(43);
const code = {
  clientId: "ghc_app",
  redirectUri: "https://app.example.com/callback",
  codeChallenge: s256CodeChallenge(verifier),
  expiresAt: new Date("2030-01-01T00:01:00Z"),
};
const now = new Date("2030-01-01T00:00:30Z");
const presented = { clientId: "ghc_app", redirectUri: code.redirectUri, codeVerifier: verifier };

describe("checkCodeBinding", () => {
  it("accepts the client, redirect_uri and verifier the code was issued for", () => {
    expect(checkCodeBinding(code, presented, now)).toBeUndefined();
  });

  it.each([
    ["another client", { clientId: "ghc_other" }, now, "client_mismatch"],
    ["an expired code", {}, new Date("2030-01-01T00:01:00Z"), "code_expired"],
    [
      "a different redirect_uri",
      { redirectUri: `${code.redirectUri}/` },
      now,
      "redirect_uri_mismatch",
    ],
    ["no redirect_uri", { redirectUri: undefined }, now, "redirect_uri_mismatch"],
    ["a wrong verifier", { codeVerifier: "w".repeat(43) }, now, "pkce_mismatch"],
    ["no verifier", { codeVerifier: undefined }, now, "pkce_mismatch"],
  ])("refuses %s as invalid_grant", (_label, change, at, reason) => {
    const refused = checkCodeBinding(code, { ...presented, ...change }, at);
    expect(refused?.error).toBe("invalid_grant");
    expect(refused?.reason).toBe(reason);
  });

  it("reports a stolen code before anything else about it", () => {
    const refused = checkCodeBinding(
      code,
      { clientId: "ghc_thief", codeVerifier: "x".repeat(43) },
      new Date("2031-01-01T00:00:00Z"),
    );
    expect(refused?.reason).toBe("client_mismatch");
  });
});

describe("readBasicCredentials (RFC 6749 §2.3.1)", () => {
  const basic = (raw: string) => `Basic ${Buffer.from(raw).toString("base64")}`;

  it("form-decodes both halves after splitting on the first colon", () => {
    expect(readBasicCredentials(basic("my%20app:p%3Ass+word:x"))).toEqual({
      clientId: "my app",
      secret: "p:ss word:x",
    });
  });

  it("is absent without a header", () => {
    expect(readBasicCredentials(null)).toBeUndefined();
  });

  it.each([
    ["another scheme", "Bearer abc"],
    ["no colon", basic("client-only")],
    ["an empty client_id", basic(":secret")],
    ["bad percent-encoding", basic("app:%E0%A4%A")],
    ["not base64", "Basic ***"],
  ])("refuses %s as invalid_client", (_label, header) => {
    expect(() => readBasicCredentials(header)).toThrow(ClientAuthenticationError);
  });
});

describe("form parameters", () => {
  it("treats empty values as omitted (RFC 6749 §3.1)", () => {
    expect(uniqueParams(new URLSearchParams("scope=&grant_type=x")).has("scope")).toBe(false);
  });

  it("refuses a parameter sent twice, naming it", () => {
    expect(() => uniqueParams(new URLSearchParams("code=a&code=b"))).toThrow(/code/);
  });

  it("refuses control characters", () => {
    expect(() => uniqueParams(new URLSearchParams("code=a%00b"))).toThrow(OAuthError);
  });
});

describe("scopes", () => {
  it("splits on spaces, drops repeats, and compares subsets", () => {
    expect(splitScope(" openid  email openid ")).toEqual(["openid", "email"]);
    expect(isSubsetOf(["email"], "openid email")).toBe(true);
    expect(isSubsetOf(["email", "profile"], "openid email")).toBe(false);
  });
});

describe("toErrorDescription (RFC 6749 §4.1.2.1 character set)", () => {
  it("keeps printable ASCII except quote and backslash", () => {
    expect(toErrorDescription('Denied: "risk" \\ high\né')).toBe("Denied: risk high");
  });
});
