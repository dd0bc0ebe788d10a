import "server-only";
import { randomInt } from "node:crypto";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { type EmailCode, emailCodes, users } from "@/db/schema";
import { recordAuthEvent, transitionAuthRequest } from "@/lib/auth-logs/journey";
import { findClientByClientId } from "@/lib/clients";
import { hashToken, safeEqual } from "@/lib/crypto";
import { db, type Executor } from "@/lib/db";
import type { ClientInfo } from "@/lib/http/client-info";
import { newId } from "@/lib/ids";
import { MailDeliveryError, sendMail } from "@/lib/mail";
import { findUser } from "@/lib/users";
import type { CredentialsOutcome } from "./password";
import { closeIfAbandoned, failAndRetry, lockSignInRequest, StaleSignInStepError } from "./request";

/** A code is good for 10 minutes. */
export const EMAIL_CODE_LIFETIME_MS = 10 * 60_000;
/** Wrong or expired codes one auth request accepts, across resends, before it fails. */
export const EMAIL_CODE_MAX_ATTEMPTS = 5;
/** Codes one auth request may send: enough for a slow inbox, not a way to flood one. */
export const EMAIL_CODE_MAX_SENDS = 5;

export type SendCodeOutcome =
  | { kind: "sent"; to: string; expiresAt: Date }
  | { kind: "too_many_codes" }
  | { kind: "not_sent" };

export type VerifyCodeOutcome =
  | CredentialsOutcome
  | { kind: "wrong_code"; reason: "wrong" | "expired" | "missing"; remainingAttempts: number };

/**
 * Sends a 6-digit code to the identified user. Only its hash is stored; a new code replaces any
 * earlier one (which stops working). The log gets `email_code_sent` without the code. The mail
 * is sent outside the transaction; if it fails the code is withdrawn and `email_code_failed`
 * is logged instead.
 */
export async function sendEmailCode(input: {
  authRequestId: string;
  now?: Date;
}): Promise<SendCodeOutcome> {
  const now = input.now ?? new Date();
  await closeIfAbandoned(input.authRequestId);
  const prepared = await db.transaction(async (tx) => {
    const request = await lockSignInRequest(tx, input.authRequestId, "credentials");
    const user = request.userId ? await findUser(request.userId, tx) : undefined;
    if (!user) throw new StaleSignInStepError(request.id);
    const earlier = await codesOf(tx, request.id);
    if (earlier.length >= EMAIL_CODE_MAX_SENDS) return { kind: "too_many_codes" as const };
    await withdrawLiveCodes(tx, request.id, now);
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const [row] = await tx
      .insert(emailCodes)
      .values({
        id: newId("otp"),
        authRequestId: request.id,
        userId: user.id,
        codeHash: hashCode(request.id, code),
        expiresAt: new Date(now.getTime() + EMAIL_CODE_LIFETIME_MS),
        createdAt: now,
      })
      .returning();
    return { kind: "prepared" as const, code, row: row as EmailCode, user, request };
  });
  if (prepared.kind === "too_many_codes") return prepared;

  const { code, row, user, request } = prepared;
  const client = request.clientId ? await findClientByClientId(request.clientId) : undefined;
  try {
    const sent = await sendMail({
      to: user.email,
      ...emailCodeMessage(code, client?.name ?? null),
      logHint: `code ${code}`,
    });
    await recordAuthEvent(db, request.id, "email_code_sent", {
      code_id: row.id,
      to: user.email,
      expires_at: row.expiresAt.toISOString(),
      transport: sent.transport,
      mail_id: sent.id,
    });
    return { kind: "sent", to: user.email, expiresAt: row.expiresAt };
  } catch (error) {
    if (!(error instanceof MailDeliveryError)) throw error;
    await db.transaction(async (tx) => {
      await withdrawLiveCodes(tx, request.id, new Date());
      await recordAuthEvent(tx, request.id, "email_code_failed", {
        code_id: row.id,
        to: user.email,
        error: error.message,
      });
    });
    return { kind: "not_sent" };
  }
}

/**
 * Checks a code against the newest one sent for the request. Right: `credentials_verified` with
 * authMethod `email_code`, the code is spent and the email counts as verified. Wrong or
 * expired: `email_code_rejected`; the fifth such try ends the attempt in Failure
 * `invalid_email_code` and opens a retry at the same step.
 */
export async function verifyEmailCode(input: {
  authRequestId: string;
  code: string;
  client: ClientInfo;
  now?: Date;
}): Promise<VerifyCodeOutcome> {
  const now = input.now ?? new Date();
  await closeIfAbandoned(input.authRequestId);
  return db.transaction(async (tx): Promise<VerifyCodeOutcome> => {
    const request = await lockSignInRequest(tx, input.authRequestId, "credentials");
    const codes = await codesOf(tx, request.id);
    const used = codes.reduce((sum, code) => sum + code.attempts, 0);
    const latest = codes.find((code) => code.consumedAt === null);
    if (!latest) {
      await recordAuthEvent(tx, request.id, "email_code_rejected", { reason: "no_code" });
      return {
        kind: "wrong_code",
        reason: "missing",
        remainingAttempts: EMAIL_CODE_MAX_ATTEMPTS - used,
      };
    }
    const expired = latest.expiresAt.getTime() <= now.getTime();
    if (!expired && safeEqual(latest.codeHash, hashCode(request.id, input.code))) {
      await tx.update(emailCodes).set({ consumedAt: now }).where(eq(emailCodes.id, latest.id));
      await tx
        .update(users)
        .set({ emailVerifiedAt: now })
        .where(and(eq(users.id, latest.userId), isNull(users.emailVerifiedAt)));
      await transitionAuthRequest(
        tx,
        request.id,
        "pending",
        { type: "credentials_verified", detail: { auth_method: "email_code", code_id: latest.id } },
        { authMethod: "email_code" },
      );
      return { kind: "verified", authRequestId: request.id };
    }

    const reason = expired ? "expired" : "wrong";
    const attempt = used + 1;
    await tx
      .update(emailCodes)
      .set({ attempts: latest.attempts + 1 })
      .where(eq(emailCodes.id, latest.id));
    await recordAuthEvent(tx, request.id, "email_code_rejected", {
      reason,
      code_id: latest.id,
      attempt,
      remaining_attempts: Math.max(EMAIL_CODE_MAX_ATTEMPTS - attempt, 0),
    });
    if (attempt < EMAIL_CODE_MAX_ATTEMPTS) {
      return { kind: "wrong_code", reason, remainingAttempts: EMAIL_CODE_MAX_ATTEMPTS - attempt };
    }
    const retry = await failAndRetry(tx, request, "invalid_email_code", {
      client: input.client,
      detail: { user_id: request.userId, auth_method: "email_code", attempts: attempt },
      patch: { authMethod: "email_code" },
      identified: true,
    });
    return { kind: "rejected", retryAuthRequestId: retry.id };
  });
}

/** The live (unspent, unexpired) code of a request, if any: the sign-in page shows the code form. */
export async function findLiveEmailCode(
  authRequestId: string,
  now: Date = new Date(),
  tx: Executor = db,
): Promise<EmailCode | undefined> {
  const [live] = await tx
    .select()
    .from(emailCodes)
    .where(
      and(
        eq(emailCodes.authRequestId, authRequestId),
        isNull(emailCodes.consumedAt),
        gt(emailCodes.expiresAt, now),
      ),
    )
    .orderBy(desc(emailCodes.createdAt))
    .limit(1);
  return live;
}

/** Whether any code was sent for the request (the page keeps showing the code form once one was). */
export async function hasSentEmailCode(authRequestId: string, tx: Executor = db): Promise<boolean> {
  const [found] = await tx
    .select({ id: emailCodes.id })
    .from(emailCodes)
    .where(eq(emailCodes.authRequestId, authRequestId))
    .limit(1);
  return found !== undefined;
}

export function emailCodeMessage(code: string, clientName: string | null) {
  const app = clientName ? ` to ${clientName}` : "";
  return {
    // Not in the subject: subjects end up in notification previews and mail server logs.
    subject: "Your Gatehouse sign-in code",
    text: [
      `Your code to sign in${app} is:`,
      "",
      `    ${code}`,
      "",
      "It works once and expires in 10 minutes.",
      "If you didn't try to sign in, ignore this email: nobody can sign in without the code.",
    ].join("\n"),
  };
}

// Codes of one request, newest first.
function codesOf(tx: Executor, authRequestId: string): Promise<EmailCode[]> {
  return tx
    .select()
    .from(emailCodes)
    .where(eq(emailCodes.authRequestId, authRequestId))
    .orderBy(desc(emailCodes.createdAt), desc(emailCodes.id));
}

/** Earlier codes stop working when a new one is sent: they are marked spent, never deleted. */
async function withdrawLiveCodes(tx: Executor, authRequestId: string, now: Date): Promise<void> {
  await tx
    .update(emailCodes)
    .set({ consumedAt: now })
    .where(and(eq(emailCodes.authRequestId, authRequestId), isNull(emailCodes.consumedAt)));
}

/**
 * sha256 over the request id and the code: the code alone has only 10^6 values, and binding it
 * to its request means a row never matches a code sent for another attempt.
 */
function hashCode(authRequestId: string, code: string): string {
  return hashToken(`${authRequestId}:${code}`);
}
