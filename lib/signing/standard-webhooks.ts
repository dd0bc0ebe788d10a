import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the sender signs
 * `${id}.${timestamp}.${body}` with HMAC-SHA256 and sends `webhook-id`, `webhook-timestamp`
 * (Unix seconds) and `webhook-signature: v1,<base64>`. Receivers can verify with any Standard
 * Webhooks library. Used by pre-sign-in interceptors and outgoing webhooks alike.
 */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

export type WebhookHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

export type WebhookMessage = {
  /** Unique per message, the same on every retry of it, so receivers can de-duplicate. */
  id: string;
  /** When the message is sent; defaults to now. */
  timestamp?: Date;
  /** The exact bytes that go in the request body. */
  payload: string;
  /** `whsec_` + base64 of the key. */
  secret: string;
};

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

/** True when `secret` is `whsec_` + base64 of at least 24 bytes (the spec asks for 24 to 64). */
export function isWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return false;
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return false;
  const length = Buffer.from(encoded, "base64").length;
  return length >= 24 && length <= 64;
}

/** The `webhook-signature` value: `v1,` + base64 HMAC-SHA256 of `id.timestamp.payload`. */
export function signWebhook(message: WebhookMessage): string {
  const timestamp = unixSeconds(message.timestamp ?? new Date());
  return `v1,${hmac(message.secret, message.id, timestamp, message.payload)}`;
}

/** The three headers to send with a signed message. */
export function webhookHeaders(message: WebhookMessage): WebhookHeaders {
  const timestamp = message.timestamp ?? new Date();
  return {
    "webhook-id": message.id,
    "webhook-timestamp": String(unixSeconds(timestamp)),
    "webhook-signature": signWebhook({ ...message, timestamp }),
  };
}

/**
 * Checks a received message the way a receiver should: one of the space-separated `v1,`
 * signatures must match, and the timestamp must be within `toleranceSeconds` of now (replays
 * of old messages are refused).
 */
export function verifyWebhook(
  input: { headers: WebhookHeaders; payload: string; secret: string },
  options: { toleranceSeconds?: number; now?: Date } = {},
): boolean {
  const timestamp = Number(input.headers["webhook-timestamp"]);
  if (!Number.isInteger(timestamp)) return false;
  const now = unixSeconds(options.now ?? new Date());
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(
    hmac(input.secret, input.headers["webhook-id"], timestamp, input.payload),
  );
  return input.headers["webhook-signature"].split(" ").some((candidate) => {
    const [version, signature] = candidate.split(",", 2);
    if (version !== "v1" || !signature) return false;
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

function hmac(secret: string, id: string, timestamp: number, payload: string): string {
  return createHmac("sha256", secretKey(secret))
    .update(`${id}.${timestamp}.${payload}`)
    .digest("base64");
}

/** The HMAC key is the base64-decoded part after `whsec_`. */
function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX)
    ? secret.slice(WEBHOOK_SECRET_PREFIX.length)
    : secret;
  return Buffer.from(encoded, "base64");
}

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
