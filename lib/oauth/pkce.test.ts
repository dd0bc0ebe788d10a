import { describe, expect, it } from "vitest";
import {
  isWellFormedCodeChallenge,
  isWellFormedCodeVerifier,
  s256CodeChallenge,
  verifierMatchesChallenge,
} from "./pkce";

// RFC 7636 Appendix B.
const RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

describe("PKCE S256", () => {
  it("computes the RFC 7636 Appendix B challenge", () => {
    expect(s256CodeChallenge(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
  });

  it("matches the right verifier and nothing else", () => {
    expect(verifierMatchesChallenge(RFC_VERIFIER, RFC_CHALLENGE)).toBe(true);
    expect(verifierMatchesChallenge(`${RFC_VERIFIER.slice(0, -1)}Y`, RFC_CHALLENGE)).toBe(false);
    // A plain-method client would send the challenge itself as verifier.
    expect(verifierMatchesChallenge(RFC_CHALLENGE, RFC_CHALLENGE)).toBe(false);
  });

  it("refuses verifiers outside 43–128 unreserved characters", () => {
    expect(isWellFormedCodeVerifier("a".repeat(42))).toBe(false);
    expect(isWellFormedCodeVerifier("a".repeat(129))).toBe(false);
    expect(isWellFormedCodeVerifier(`${"a".repeat(42)} `)).toBe(false);
    expect(isWellFormedCodeVerifier(`${"a".repeat(41)}.~`)).toBe(true);
    expect(verifierMatchesChallenge("a".repeat(42), s256CodeChallenge("a".repeat(42)))).toBe(false);
  });

  it("accepts only base64url challenges of 43–128 characters", () => {
    expect(isWellFormedCodeChallenge(RFC_CHALLENGE)).toBe(true);
    expect(isWellFormedCodeChallenge(RFC_CHALLENGE.slice(1))).toBe(false);
    expect(isWellFormedCodeChallenge(`${RFC_CHALLENGE.slice(1)}=`)).toBe(false);
    expect(isWellFormedCodeChallenge(`${RFC_CHALLENGE.slice(1)}+`)).toBe(false);
  });
});
