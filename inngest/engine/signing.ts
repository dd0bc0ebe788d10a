import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Request signing as an Inngest server does it (SDK spec 4.1.1, measured against
// inngest@4.24.0): `x-inngest-signature: t=<unix seconds>&s=<hex HMAC-SHA256>`, keyed with the
// signing key minus its `signkey-<env>-` prefix (as text), over the body in RFC 8785 (JCS)
// canonical form followed by the timestamp. The SDK parses the body and canonicalizes it
// before checking, so the engine sends the canonical text itself and signs exactly that.

const PREFIX = /^signkey-\w+-/;

/** A fresh signing key in Inngest's format; it lives as long as the process. */
export function newSigningKey(): string {
  return `signkey-embedded-${randomBytes(32).toString("hex")}`;
}

/** A fresh event key for senders in this process. */
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
 * JSON in JCS canonical form: object keys sorted by UTF-16 code units, no whitespace,
 * numbers and strings as JSON.stringify writes them. Values are JSON data (parsed JSON,
 * database rows), so undefined members are left out and non-finite numbers become null.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === "function") return canonicalJson(withToJson.toJSON());
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined || typeof member === "function") continue;
    members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${members.join(",")}}`;
}
