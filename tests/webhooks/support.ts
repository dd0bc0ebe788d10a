import http from "node:http";
import type { AddressInfo } from "node:net";
import { asc, eq } from "drizzle-orm";
import {
  type WebhookDelivery,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEvents,
} from "@/db/schema";
import { db } from "@/lib/db";
import { operatorScope } from "@/lib/organizations/scope";
import type { WebhookEventData, WebhookEventType } from "@/lib/webhooks/catalog";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { type EmittedEvent, emitEvent } from "@/lib/webhooks/outbox";
import type { EndpointCreateInput } from "@/lib/webhooks/schema";

/** A request the receiver got, as it arrived. */
export type ReceivedRequest = { headers: Record<string, string>; body: string; at: number };

export type Reply = { status: number; body?: string; delayMs?: number };

export type Receiver = {
  url: string;
  requests: ReceivedRequest[];
  /** What to answer to the next requests, in order; the last entry repeats. */
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
};

/** A webhook receiver on 127.0.0.1 (needs WEBHOOK_ALLOW_PRIVATE_TARGETS=true). */
export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let replies: Reply[] = [{ status: 204 }];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === "string") headers[name] = value;
      }
      requests.push({ headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const reply = (replies.length > 1 ? replies.shift() : replies[0]) as Reply;
      const send = () =>
        response
          .writeHead(reply.status, { "content-type": "text/plain", "x-receiver": "test" })
          .end(reply.body ?? "");
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    requests,
    reply(...next) {
      replies = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An endpoint of `organizationId` (null = operator endpoint), created by an operator key. */
export async function createTestEndpoint(
  organizationId: string | null,
  overrides: Partial<EndpointCreateInput> = {},
) {
  return createEndpoint(operatorScope, {
    url: "https://hooks.example.com/gatehouse",
    organizationId: organizationId,
    ...overrides,
  });
}

/** Emits one event in its own transaction, as an action would. */
export async function emitTestEvent<Type extends WebhookEventType>(
  type: Type,
  organizationId: string | null,
  data: WebhookEventData<Type>,
): Promise<EmittedEvent> {
  return db.transaction((tx) => emitEvent(tx, { type, organizationId, data }));
}

/** A `webhook.test`-shaped event any endpoint of the organization receives. */
export function emitPing(organizationId: string | null, message = "ping") {
  return emitTestEvent("webhook.test", organizationId, { endpoint_id: "ep_any", message });
}

export async function readDelivery(id: string): Promise<WebhookDelivery> {
  const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  if (!delivery) throw new Error(`No delivery ${id}`);
  return delivery;
}

export async function readAttempts(deliveryId: string) {
  return db
    .select()
    .from(webhookDeliveryAttempts)
    .where(eq(webhookDeliveryAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookDeliveryAttempts.attempt));
}

export async function deliveriesOfEvent(eventId: string) {
  return db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.eventId, eventId))
    .orderBy(asc(webhookDeliveries.createdAt));
}

export async function readEventBody(eventId: string) {
  const [event] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, eventId));
  return event ? JSON.parse(event.body) : undefined;
}

/** Polls until `check` returns something truthy. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 15_000, what = "condition" }: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
