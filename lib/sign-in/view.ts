import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { type AuthRequest, authRequestEvents } from "@/db/schema";
import type { FailureReason } from "@/lib/auth-logs/failure-reasons";
import { findAuthRequest, isAbandoned } from "@/lib/auth-logs/journey";
import { findClientByClientId } from "@/lib/clients";
import { db } from "@/lib/db";
import { DEFAULT_DENY_MESSAGE } from "@/lib/interceptors/run";
import { findOrganization } from "@/lib/organizations";
import { findUser } from "@/lib/users";
import { findLiveEmailCode, hasSentEmailCode } from "./email-code";
import { returnUrlFor } from "./exit";
import { retryNotices } from "./messages";
import { AUTH_REQUEST_ID } from "./schema";

/** Who the user is signing in to, for the card header. */
export type SignInParty = { clientName: string | null; organizationName: string | null };

/** Everything the sign-in page renders, decided from the auth request alone. */
export type SignInView =
  | {
      step: "unavailable";
      /** missing: no such request; expired: ended or timed out; error: Gatehouse failed it. */
      reason: "missing" | "expired" | "completed" | "error";
      party: SignInParty | null;
      canReturn: boolean;
    }
  | { step: "blocked"; message: string; party: SignInParty; canReturn: boolean }
  | {
      step: "email";
      authRequestId: string;
      party: SignInParty;
      defaultEmail: string;
      notice: string | null;
    }
  | {
      step: "credentials";
      authRequestId: string;
      party: SignInParty;
      email: string;
      hasPassword: boolean;
      /** A code was sent for this request: the page leads with the code form. */
      codeSent: boolean;
      /** When the live code expires; null when none is live (expired, or withdrawn). */
      codeExpiresAt: Date | null;
      notice: string | null;
    };

/** Shown when an interceptor failed closed: the user can do nothing about it but wait. */
export const INTERCEPTOR_UNAVAILABLE_MESSAGE =
  "We couldn't complete a required security check for your sign-in. Try again in a few minutes.";

export async function loadSignInView(authRequestId: string | null): Promise<SignInView> {
  // Checked first: a malformed id (say, with a NUL byte) must not reach the database driver.
  const wellFormed = authRequestId !== null && AUTH_REQUEST_ID.test(authRequestId);
  const request = wellFormed ? await findAuthRequest(authRequestId) : undefined;
  if (!request) return { step: "unavailable", reason: "missing", party: null, canReturn: false };
  const party = await partyOf(request);

  if (request.status === "failure") {
    const canReturn = (await returnUrlFor(request)) !== null;
    if (request.errorCode === "interceptor_rejected") {
      return { step: "blocked", message: await denyMessageOf(request.id), party, canReturn };
    }
    if (request.errorCode === "interceptor_unavailable") {
      return { step: "blocked", message: INTERCEPTOR_UNAVAILABLE_MESSAGE, party, canReturn };
    }
    const reason = request.errorCode === "server_error" ? "error" : "expired";
    return { step: "unavailable", reason, party, canReturn };
  }
  if (request.status === "success" || request.authMethod !== null) {
    return { step: "unavailable", reason: "completed", party, canReturn: false };
  }
  if (isAbandoned(request)) {
    return { step: "unavailable", reason: "expired", party, canReturn: false };
  }

  const previous = request.retryOf ? await findAuthRequest(request.retryOf) : undefined;
  const retryNotice = previous?.errorCode
    ? (retryNotices[previous.errorCode as FailureReason] ?? null)
    : null;

  if (request.status === "initiated") {
    return {
      step: "email",
      authRequestId: request.id,
      party,
      defaultEmail:
        (previous?.errorCode === "unknown_user" ? previous.email : null) ?? request.loginHint ?? "",
      notice: retryNotice,
    };
  }

  const user = request.userId ? await findUser(request.userId) : undefined;
  if (!user) return { step: "unavailable", reason: "expired", party, canReturn: false };
  const [codeSent, liveCode] = await Promise.all([
    hasSentEmailCode(request.id),
    findLiveEmailCode(request.id),
  ]);
  return {
    step: "credentials",
    authRequestId: request.id,
    party,
    email: user.email,
    hasPassword: user.passwordHash !== null,
    codeSent,
    codeExpiresAt: liveCode?.expiresAt ?? null,
    // Once a code was sent, the code form reports its own errors; the old notice would confuse.
    notice: codeSent ? null : retryNotice,
  };
}

async function partyOf(request: AuthRequest): Promise<SignInParty> {
  const [client, organization] = await Promise.all([
    request.clientId ? findClientByClientId(request.clientId) : undefined,
    request.organizationId ? findOrganization(request.organizationId) : undefined,
  ]);
  return { clientName: client?.name ?? null, organizationName: organization?.name ?? null };
}

async function denyMessageOf(authRequestId: string): Promise<string> {
  const [event] = await db
    .select({ detail: authRequestEvents.detail })
    .from(authRequestEvents)
    .where(
      and(
        eq(authRequestEvents.authRequestId, authRequestId),
        eq(authRequestEvents.type, "failed: interceptor_rejected"),
      ),
    )
    .orderBy(desc(authRequestEvents.seq))
    .limit(1);
  const message = event?.detail.message;
  return typeof message === "string" && message ? message : DEFAULT_DENY_MESSAGE;
}
