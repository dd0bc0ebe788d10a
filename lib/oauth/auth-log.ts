import "server-only";
import type { FailureReason } from "@/lib/auth-logs/failure-reasons";
import { AuthRequestClosedError, failAuthRequest, recordAuthEvent } from "@/lib/auth-logs/journey";
import type { Executor } from "@/lib/db";

/**
 * Ends an auth request in Failure, or, when it already ended in Failure, records the reason as
 * an event: the first failure stays the request's outcome and later ones stay visible.
 */
export async function failOrNote(
  tx: Executor,
  authRequestId: string,
  reason: FailureReason,
  options: { description?: string; detail?: Record<string, unknown> } = {},
): Promise<void> {
  try {
    await failAuthRequest(tx, authRequestId, reason, options);
  } catch (error) {
    if (!(error instanceof AuthRequestClosedError) || error.status === "missing") throw error;
    await recordAuthEvent(tx, authRequestId, reason, {
      error_code: reason,
      ...(options.description ? { error_description: options.description } : {}),
      ...options.detail,
    });
  }
}
