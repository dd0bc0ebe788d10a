import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import canonicalize from "canonicalize";

// Request signing as an Inngest server does it (SDK spec 4.1.1, measured against
// inngest@4.24.0): `x-inngest-signature: t=<unix seconds>&s=<hex HMAC-SHA256>`, keyed with the
// signing key minus its `signkey-<env>-` prefix (as text), over the body in RFC 8785 (JCS)
// canonical form followed by the timestamp. The SDK parses the body and canonicalizes it
// before checking, so the engine sends the canonical text itself and signs exactly that.

const PREFIX = /^signkey-\w+-/;

/** A fresh signing key in Inngest's format, for an engine started without one. */
export function newSigningKey(): string {
  return `signkey-embedded-${randomBytes(32).toString("hex")}`;
}

/** A fresh event key, for an engine started without one. */
export function newEventKey(): string {
  return `embedded-${randomBytes(24).toString("hex")}`;
}

export function signatureHeader(body: string, signingKey: string, now: number = Date.now()) {
  const timestamp = Math.floor(now / 1000).toString();
  const signature = createHmac("sha256", signingKey.replace(PREFIX, ""))
    .update(body + timestamp)
    .digest("hex");
  return `t=${timestamp}&s=${signature}`;
}

/** What the SDK sends as `Authorization: Bearer …` when it registers out of band. */
export function hashedSigningKey(signingKey: string): string {
  const prefix = PREFIX.exec(signingKey)?.[0] ?? "";
  const digest = createHash("sha256").update(signingKey.replace(PREFIX, ""), "hex").digest("hex");
  return `${prefix}${digest}`;
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A body as the SDK reads it before checking its signature: canonical JSON (RFC 8785), written
 * by the `canonicalize` module the SDK itself signs with (package.json pins the same version,
 * so both import one copy). Values are JSON data: parsed JSON, database rows.
 */
export function canonicalJson(value: object): string {
  return canonicalize(value) as string;
}
