import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  generateWebhookSecret,
  isWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookHeaders,
} from "./standard-webhooks";

describe("Standard Webhooks signer", () => {
  it("produces headers the standardwebhooks library accepts", () => {
    const secret = generateWebhookSecret();
    const payload = JSON.stringify({ type: "pre_sign_in", user: { email: "ada@example.com" } });
    const headers = webhookHeaders({ id: "msg_1", payload, secret });
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
    expect(new Webhook(secret).verify(payload, headers)).toEqual(JSON.parse(payload));
  });

  it("signs exactly what the library signs for the same id, time and body", () => {
    const secret = generateWebhookSecret();
    const timestamp = new Date("2030-01-02T03:04:05Z");
    const payload = '{"a":1}';
    expect(signWebhook({ id: "msg_x", timestamp, payload, secret })).toBe(
      new Webhook(secret).sign("msg_x", timestamp, payload),
    );
  });

  it("is rejected by the library when the body or secret differ", () => {
    const secret = generateWebhookSecret();
    const headers = webhookHeaders({ id: "msg_2", payload: '{"a":1}', secret });
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify('{"a":1}', headers)).toThrow();
  });

  it("verifies library-signed messages and refuses stale timestamps", () => {
    const secret = generateWebhookSecret();
    const now = new Date();
    const payload = '{"ok":true}';
    const signature = new Webhook(secret).sign("msg_3", now, payload);
    const headers = {
      "webhook-id": "msg_3",
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": `v1,bogus ${signature}`,
    };
    expect(verifyWebhook({ headers, payload, secret })).toBe(true);
    expect(verifyWebhook({ headers, payload: '{"ok":false}', secret })).toBe(false);
    const later = new Date(now.getTime() + 10 * 60_000);
    expect(verifyWebhook({ headers, payload, secret }, { now: later })).toBe(false);
  });

  it("generates whsec_ secrets of 32 random bytes", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(isWebhookSecret(secret)).toBe(true);
    expect(isWebhookSecret("whsec_short")).toBe(false);
    expect(isWebhookSecret("sk_live_abc")).toBe(false);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});
