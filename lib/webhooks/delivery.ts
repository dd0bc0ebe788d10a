import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { AttemptTrigger, DeliveryStatus } from "@/constants/webhooks";
import {
  type WebhookEndpoint,
  type WebhookEvent,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEndpoints,
  webhookEvents,
} from "@/db/schema";
import { db, preparedStatement } from "@/lib/db";
import { env } from "@/lib/env";
import { OutboundRequestError, sendOutboundRequest } from "@/lib/net/outbound-request";
import { signWebhook } from "@/lib/signing/standard-webhooks";
import { signingSecrets } from "./endpoints";

/**
 * One delivery attempt, as the `deliver-webhook` function runs it inside a step: sign, send,
 * record the attempt and the delivery's new status in one transaction, and say what the schedule
 * does next. A refused, failed or timed-out request is a recorded result, never a thrown error:
 * errors thrown from here are the database's, and the step is retried for them.
 */

/** An attempt succeeds on any 2xx answer received in full within this time. */
export const ATTEMPT_TIMEOUT_MS = 15_000;
/** How much of a response body the attempt log keeps. */
export const LOGGED_RESPONSE_BYTES = 64 * 1024;
const USER_AGENT = "Gatehouse-Webhooks/1.0 (+https://www.standardwebhooks.com)";

/** The waits between attempts (WEBHOOK_RETRY_DELAYS): attempt 1 at once, one more after each. */
export function retryDelaysMs(): readonly number[] {
  return env.webhookRetryDelaysMs;
}

export type AttemptInput = {
  deliveryId: string;
  sequence: number;
  /** The Inngest run making the attempt; a delivery is claimed by the first run that sends it. */
  runId: string;
  /** The attempt's number in the delivery (counting on across replays). */
  attempt: number;
  trigger: AttemptTrigger;
  /** The wait before the next attempt if this one fails; null when it is the last. */
  retryDelayMs: number | null;
};

export type AttemptResult =
  | { outcome: "success"; attempt: number; responseStatus: number }
  | {
      outcome: "retrying";
      attempt: number;
      responseStatus: number | null;
      error: string | null;
      /** The endpoint's rate limit as read now, for pacing the next attempt. */
      rateLimitPerSecond: number | null;
    }
  | { outcome: "failed"; attempt: number; responseStatus: number | null; error: string | null }
  // The delivery (or its endpoint) was deleted, replayed, or is being sent by another run.
  | { outcome: "skipped"; reason: "gone" | "superseded" };

export async function attemptDelivery(input: AttemptInput): Promise<AttemptResult> {
  // One read: the delivery, what is sent, and this attempt's row if a previous run of the step
  // already made it.
  const [loaded] = await loadForAttempt().execute({
    deliveryId: input.deliveryId,
    attempt: input.attempt,
  });
  if (!loaded) return { outcome: "skipped", reason: "gone" };
  const { delivery, endpoint, event, recorded } = loaded;
  const claimedByOther = delivery.runId !== null && delivery.runId !== input.runId;
  if (delivery.sequence !== input.sequence || claimedByOther) {
    return { outcome: "skipped", reason: "superseded" };
  }

  // A step runs at least once: if this attempt's row exists, the step already sent and recorded
  // it and only its answer to Inngest was lost. Report that result instead of sending again.
  if (recorded) return decide(recorded, input, endpoint);
  if (delivery.status === "success" || delivery.status === "failed") {
    return { outcome: "skipped", reason: "superseded" };
  }

  const sent = await send(endpoint, event, input);
  const result = decide(sent, input, endpoint);
  await recordAttempt(sent, result, input);
  return result;
}

const loadForAttempt = preparedStatement("webhook_attempt_load", (db) =>
  db
    .select({
      delivery: {
        sequence: webhookDeliveries.sequence,
        status: webhookDeliveries.status,
        runId: webhookDeliveries.runId,
      },
      endpoint: webhookEndpoints,
      event: { id: webhookEvents.id, body: webhookEvents.body },
      recorded: {
        responseStatus: webhookDeliveryAttempts.responseStatus,
        error: webhookDeliveryAttempts.error,
      },
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .leftJoin(
      webhookDeliveryAttempts,
      and(
        eq(webhookDeliveryAttempts.deliveryId, webhookDeliveries.id),
        eq(webhookDeliveryAttempts.attempt, sql.placeholder("attempt")),
      ),
    )
    .where(eq(webhookDeliveries.id, sql.placeholder("deliveryId"))),
);

/**
 * The attempt's row and the delivery's new status, in one statement (so atomically, and in one
 * round trip): the insert is a CTE of the update.
 */
async function recordAttempt(sent: AttemptRow, result: AttemptResult, input: AttemptInput) {
  const now = new Date();
  await recordAttemptStatement().execute({
    // A placeholder needs a value: the columns an attempt without an answer leaves out.
    responseStatus: null,
    responseHeaders: null,
    responseBody: null,
    responseBodyTruncated: false,
    error: null,
    ...sent,
    sequence: input.sequence,
    status: statusAfter(result),
    nextAttemptAt:
      result.outcome === "retrying" && input.retryDelayMs !== null
        ? new Date(now.getTime() + input.retryDelayMs).toISOString()
        : null,
    runId: input.runId,
    updatedAt: now.toISOString(),
  });
}

const recordAttemptStatement = preparedStatement("webhook_attempt_record", (db) => {
  const value = (name: keyof AttemptRow) => sql.placeholder(name);
  const inserted = db.$with("inserted").as(
    db
      .insert(webhookDeliveryAttempts)
      .values({
        deliveryId: value("deliveryId"),
        attempt: value("attempt"),
        trigger: value("trigger"),
        startedAt: value("startedAt"),
        requestUrl: value("requestUrl"),
        requestHeaders: value("requestHeaders"),
        requestBody: value("requestBody"),
        responseStatus: value("responseStatus"),
        responseHeaders: value("responseHeaders"),
        responseBody: value("responseBody"),
        responseBodyTruncated: value("responseBodyTruncated"),
        durationMs: value("durationMs"),
        error: value("error"),
      })
      .onConflictDoNothing(),
  );
  return db
    .with(inserted)
    .update(webhookDeliveries)
    .set({
      // set() takes no placeholders, only SQL; timestamps are passed as ISO strings (below).
      status: sql`${sql.placeholder("status")}`,
      // The attempt's number: the count of attempts made so far.
      attemptCount: sql`${sql.placeholder("attempt")}`,
      nextAttemptAt: sql`${sql.placeholder("nextAttemptAt")}`,
      runId: sql`${sql.placeholder("runId")}`,
      updatedAt: sql`${sql.placeholder("updatedAt")}`,
    })
    .where(
      and(
        eq(webhookDeliveries.id, sql.placeholder("deliveryId")),
        eq(webhookDeliveries.sequence, sql.placeholder("sequence")),
      ),
    );
});

/**
 * The run gave up for a reason other than the endpoint (the database kept failing and the
 * step's retries ran out): the delivery ends Failed rather than staying Queued or Retrying
 * forever, and can be replayed.
 */
export async function markDeliveryRunFailed(deliveryId: string, sequence: number): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status: "failed", nextAttemptAt: null, updatedAt: new Date() })
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        eq(webhookDeliveries.sequence, sequence),
        inArray(webhookDeliveries.status, ["queued", "retrying"]),
      ),
    );
}

/** The three Standard Webhooks headers; one `v1,` signature per secret in use. */
export function signatureHeaders(
  input: { eventId: string; body: string; secrets: readonly string[] },
  timestamp: Date,
): Record<string, string> {
  const signatures = input.secrets.map((secret) =>
    signWebhook({ id: input.eventId, timestamp, payload: input.body, secret }),
  );
  return {
    "webhook-id": input.eventId,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}

// ---------------------------------------------------------------------------------------------

type AttemptRow = typeof webhookDeliveryAttempts.$inferInsert;

async function send(
  endpoint: WebhookEndpoint,
  event: Pick<WebhookEvent, "id" | "body">,
  input: AttemptInput,
): Promise<AttemptRow> {
  const startedAt = new Date();
  const headers = {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    ...signatureHeaders(
      { eventId: event.id, body: event.body, secrets: signingSecrets(endpoint, startedAt) },
      startedAt,
    ),
  };
  const row = {
    deliveryId: input.deliveryId,
    attempt: input.attempt,
    trigger: input.trigger,
    startedAt,
    requestUrl: endpoint.url,
    requestHeaders: headers,
    requestBody: event.body,
  };
  if (!endpoint.enabled) {
    return { ...row, durationMs: 0, error: "The endpoint is disabled; nothing was sent" };
  }
  try {
    // The URL is checked again here (it was checked on save, but DNS may have changed since).
    const response = await sendOutboundRequest({
      url: endpoint.url,
      headers,
      body: event.body,
      timeoutMs: ATTEMPT_TIMEOUT_MS,
      maxResponseBytes: LOGGED_RESPONSE_BYTES,
      onLargeResponse: "truncate",
    });
    return {
      ...row,
      responseStatus: response.status,
      responseHeaders: response.headers,
      responseBody: response.body,
      responseBodyTruncated: response.truncated,
      durationMs: response.latencyMs,
    };
  } catch (error) {
    if (!(error instanceof OutboundRequestError)) throw error;
    return { ...row, durationMs: error.latencyMs, error: describeFailure(error) };
  }
}

function decide(
  sent: { responseStatus?: number | null; error?: string | null },
  input: AttemptInput,
  endpoint: WebhookEndpoint,
): AttemptResult {
  const responseStatus = sent.responseStatus ?? null;
  const error = sent.error ?? null;
  if (responseStatus !== null && responseStatus >= 200 && responseStatus < 300) {
    return { outcome: "success", attempt: input.attempt, responseStatus };
  }
  if (input.retryDelayMs === null) {
    return { outcome: "failed", attempt: input.attempt, responseStatus, error };
  }
  return {
    outcome: "retrying",
    attempt: input.attempt,
    responseStatus,
    error,
    rateLimitPerSecond: endpoint.rateLimitPerSecond,
  };
}

function statusAfter(result: AttemptResult): DeliveryStatus {
  return result.outcome === "skipped" ? "queued" : result.outcome;
}

function describeFailure(error: OutboundRequestError): string {
  switch (error.kind) {
    case "timeout":
      return `Timed out: no complete answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
    case "forbidden_target":
      return `Not sent: ${error.message}`;
    case "network":
      return `Connection failed: ${error.message}`;
    case "response_too_large":
      return error.message;
  }
}
