import type { FailureReason } from "@/lib/auth-logs/failure-reasons";

/**
 * What the user reads when a step ended the previous attempt and a new one was opened in its
 * place. Keyed by the failure code of the attempt it retries. Deliberately vague about which
 * of email or password was wrong.
 */
export const retryNotices: Partial<Record<FailureReason, string>> = {
  unknown_user: "We couldn't find an account for that email.",
  invalid_credentials: "Wrong email or password.",
  method_not_available: "Password sign-in isn't available for this account. Use an email code.",
  invalid_email_code: "Too many wrong codes. Request a new code to try again.",
};

export const signInMessages = {
  codeWrong: (remaining: number) =>
    `That code isn't right. ${remaining} ${remaining === 1 ? "try" : "tries"} left.`,
  codeExpired: "That code has expired. Request a new one.",
  codeMissing: "Request a code first.",
  codeResent: "We sent a new code. Earlier codes no longer work.",
  codeNotSent: "We couldn't send the email just now. Try again in a moment.",
  tooManyCodes: "You've asked for several codes already. Use the latest one or start again.",
  unexpected: "Something went wrong on our side. Try again.",
} as const;
