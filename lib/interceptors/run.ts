import "server-only";
import { and, asc, eq, isNull, or } from "drizzle-orm";
import { type Interceptor, interceptors } from "@/db/schema";
import { failAuthRequest, recordAuthEvent } from "@/lib/auth-logs/journey";
import { db, type Executor } from "@/lib/db";
import { newId } from "@/lib/ids";
import { OutboundRequestError, sendOutboundRequest } from "@/lib/net/outbound-request";
import type { OutboundPolicy } from "@/lib/net/outbound-target";
import { webhookHeaders } from "@/lib/signing/standard-webhooks";
import { interceptorDecisionSchema } from "./schema";

export type PreSignInContext = {
  authRequest: { id: string };
  user: { id: string; email: string; name: string | null };
  organization: { id: string; name: string } | null;
  client: { clientId: string; name: string | null };
  ip: string | null;
  userAgent: string | null;
};

export type InterceptorOutcome =
  | { decision: "allow" }
  | { decision: "deny"; interceptorId: string; message: string }
  | { decision: "unavailable"; interceptorId: string };

/** Shown to the user when an interceptor says DENY without a message of its own. */
export const DEFAULT_DENY_MESSAGE = "Your sign-in was blocked by your organization's policy.";

/**
 * Asks every enabled interceptor that applies (global ones, then the organization's, oldest
 * first) whether this sign-in may go ahead; the first DENY stops the run. Each answer is
 * recorded on the auth request. A DENY ends the request in Failure `interceptor_rejected`; an
 * interceptor that fails (timeout, network error, non-2xx, unreadable answer) is skipped with
 * `interceptor_failed_open` or ends the request in Failure `interceptor_unavailable`, as its
 * fallback says. Calls are made outside any transaction so no row lock waits on the network.
 */
export async function runPreSignInInterceptors(
  context: PreSignInContext,
  options: { policy?: OutboundPolicy } = {},
): Promise<InterceptorOutcome> {
  const applicable = await listApplicableInterceptors(context.organization?.id ?? null);
  const authRequestId = context.authRequest.id;
  for (const interceptor of applicable) {
    const answer = await callInterceptor(interceptor, context, options.policy);
    const base = {
      interceptor_id: interceptor.id,
      interceptor_name: interceptor.name,
      url: interceptor.url,
      message_id: answer.messageId,
      latency_ms: answer.latencyMs,
    };
    if (answer.kind === "allow") {
      await recordAuthEvent(db, authRequestId, "interceptor_allowed", {
        ...base,
        decision: "ALLOW",
      });
      continue;
    }
    if (answer.kind === "deny") {
      await db.transaction(async (tx) => {
        await recordAuthEvent(tx, authRequestId, "interceptor_denied", {
          ...base,
          decision: "DENY",
          message: answer.message,
        });
        await failAuthRequest(tx, authRequestId, "interceptor_rejected", {
          detail: { ...base, message: answer.message },
        });
      });
      return { decision: "deny", interceptorId: interceptor.id, message: answer.message };
    }
    const failure = { ...base, error: answer.error, fallback: interceptor.fallback };
    if (interceptor.fallback === "fail_open") {
      await recordAuthEvent(db, authRequestId, "interceptor_failed_open", failure);
      continue;
    }
    await db.transaction((tx) =>
      failAuthRequest(tx, authRequestId, "interceptor_unavailable", { detail: failure }),
    );
    return { decision: "unavailable", interceptorId: interceptor.id };
  }
  return { decision: "allow" };
}

/** The enabled interceptors a sign-in into `organizationId` runs: global ones and the org's. */
export async function listApplicableInterceptors(
  organizationId: string | null,
  tx: Executor = db,
): Promise<Interceptor[]> {
  const scope = organizationId
    ? or(isNull(interceptors.organizationId), eq(interceptors.organizationId, organizationId))
    : isNull(interceptors.organizationId);
  return tx
    .select()
    .from(interceptors)
    .where(and(eq(interceptors.enabled, true), scope))
    .orderBy(asc(interceptors.createdAt), asc(interceptors.id));
}

type Answer = { messageId: string; latencyMs: number } & (
  | { kind: "allow" }
  | { kind: "deny"; message: string }
  | { kind: "failed"; error: string }
);

async function callInterceptor(
  interceptor: Interceptor,
  context: PreSignInContext,
  policy: OutboundPolicy | undefined,
): Promise<Answer> {
  const messageId = newId("msg");
  const payload = JSON.stringify(preSignInPayload(context));
  let response: Awaited<ReturnType<typeof sendOutboundRequest>>;
  try {
    response = await sendOutboundRequest({
      url: interceptor.url,
      body: payload,
      timeoutMs: interceptor.timeoutMs,
      policy,
      headers: {
        "content-type": "application/json",
        "user-agent": "Gatehouse-Interceptor/1",
        ...webhookHeaders({ id: messageId, payload, secret: interceptor.secret }),
      },
    });
  } catch (error) {
    if (error instanceof OutboundRequestError) {
      return { messageId, latencyMs: error.latencyMs, kind: "failed", error: failureText(error) };
    }
    throw error;
  }
  const { latencyMs } = response;
  if (response.status < 200 || response.status > 299) {
    return { messageId, latencyMs, kind: "failed", error: `HTTP ${response.status}` };
  }
  const decision = interceptorDecisionSchema.safeParse(parseJson(response.body));
  if (!decision.success) {
    return {
      messageId,
      latencyMs,
      kind: "failed",
      error: `invalid response: ${response.body.slice(0, 200)}`,
    };
  }
  if (decision.data.decision === "ALLOW") return { messageId, latencyMs, kind: "allow" };
  const message = decision.data.error?.message ?? DEFAULT_DENY_MESSAGE;
  return { messageId, latencyMs, kind: "deny", message };
}

function preSignInPayload(context: PreSignInContext) {
  return {
    type: "pre_sign_in",
    auth_request_id: context.authRequest.id,
    user: { id: context.user.id, email: context.user.email, name: context.user.name },
    organization: context.organization
      ? { id: context.organization.id, name: context.organization.name }
      : null,
    client: { client_id: context.client.clientId, name: context.client.name },
    ip: context.ip,
    user_agent: context.userAgent,
    occurred_at: new Date().toISOString(),
  };
}

function failureText(error: OutboundRequestError): string {
  return error.kind === "timeout" ? `timeout: ${error.message}` : `${error.kind}: ${error.message}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
