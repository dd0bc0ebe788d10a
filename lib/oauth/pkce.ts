import { createHash } from "node:crypto";
import { safeEqual } from "@/lib/crypto";

/**
 * PKCE (RFC 7636), S256 only: OAuth 2.1 §4.1.1 lets a server refuse `plain`, and we do, since a
 * plain challenge is the verifier itself and protects nothing once the URL leaks.
 */
export const PKCE_METHOD = "S256";

// RFC 7636 §4.1: 43–128 characters. We accept the base64url alphabet, which every client library
// produces; the RFC's extra `.` and `~` are never emitted by a base64url encoder.
const PKCE_VALUE = /^[A-Za-z0-9_-]{43,128}$/;

export function isWellFormedCodeChallenge(challenge: string): boolean {
  return PKCE_VALUE.test(challenge);
}

/** RFC 7636 §4.1 allows `.` and `~` in verifiers, so they are accepted here. */
export function isWellFormedCodeVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9._~-]{43,128}$/.test(verifier);
}

/** BASE64URL(SHA256(ASCII(code_verifier))), RFC 7636 §4.2. */
export function s256CodeChallenge(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** RFC 7636 §4.6, compared in constant time. */
export function verifierMatchesChallenge(verifier: string, challenge: string): boolean {
  return isWellFormedCodeVerifier(verifier) && safeEqual(s256CodeChallenge(verifier), challenge);
}
