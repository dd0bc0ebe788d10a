"use server";

import { refresh } from "next/cache";
import { cookies, headers } from "next/headers";
import { RedirectType, redirect } from "next/navigation";
import type { z } from "zod";
import { AuthRequestClosedError } from "@/lib/auth-logs/journey";
import { clientInfoFromHeaders } from "@/lib/http/client-info";
import { completeAuthorization } from "@/lib/oauth/authorization";
import {
  cancelSignIn,
  failSignIn,
  identifyUser,
  passSignInGate,
  returnToApplication,
  StaleSignInStepError,
  sendEmailCode,
  verifyEmailCode,
  verifyPasswordStep,
} from "@/lib/sign-in";
import { signInMessages } from "@/lib/sign-in/messages";
import {
  authRequestStepSchema,
  emailCodeStepSchema,
  emailStepSchema,
  passwordStepSchema,
  type SignInFormState,
} from "@/lib/sign-in/schema";
import { signInPath } from "./search-params";

/*
 * The sign-in's server actions: parse the form, call lib/sign-in, and turn the outcome into a
 * redirect or a form state. Each works as a plain HTML form post too. The auth request id in
 * the form is the only input trusted to name the attempt; every rule lives in lib/sign-in.
 */

export async function submitEmail(
  _state: SignInFormState,
  formData: FormData,
): Promise<SignInFormState> {
  const parsed = emailStepSchema.safeParse(fields(formData));
  if (!parsed.success) {
    return { ...invalid(parsed.error), values: { email: String(formData.get("email") ?? "") } };
  }
  const { auth_request: id, email } = parsed.data;
  const outcome = await atEdge(id, async () =>
    identifyUser({ authRequestId: id, email, client: await browser() }),
  );
  if (outcome.kind === "unknown_user") goTo(outcome.retryAuthRequestId);
  goTo(id);
}

export async function submitPassword(
  _state: SignInFormState,
  formData: FormData,
): Promise<SignInFormState> {
  const parsed = passwordStepSchema.safeParse(fields(formData));
  if (!parsed.success) return invalid(parsed.error);
  const { auth_request: id, password } = parsed.data;
  const client = await browser();
  const outcome = await atEdge(id, () =>
    verifyPasswordStep({ authRequestId: id, password, client }),
  );
  if (outcome.kind === "rejected") goTo(outcome.retryAuthRequestId);
  return finishSignIn(id);
}

export async function requestEmailCode(
  _state: SignInFormState,
  formData: FormData,
): Promise<SignInFormState> {
  const parsed = authRequestStepSchema.safeParse(fields(formData));
  if (!parsed.success) return { error: signInMessages.unexpected };
  const id = parsed.data.auth_request;
  const outcome = await atEdge(id, () => sendEmailCode({ authRequestId: id }));
  if (outcome.kind === "too_many_codes") return { error: signInMessages.tooManyCodes };
  if (outcome.kind === "not_sent") return { error: signInMessages.codeNotSent };
  // Re-render the page so it leads with the code form; the resend button keeps this notice.
  refresh();
  return { notice: signInMessages.codeResent };
}

export async function submitEmailCode(
  _state: SignInFormState,
  formData: FormData,
): Promise<SignInFormState> {
  const parsed = emailCodeStepSchema.safeParse(fields(formData));
  if (!parsed.success) return invalid(parsed.error);
  const { auth_request: id, code } = parsed.data;
  const client = await browser();
  const outcome = await atEdge(id, () => verifyEmailCode({ authRequestId: id, code, client }));
  if (outcome.kind === "rejected") goTo(outcome.retryAuthRequestId);
  if (outcome.kind === "wrong_code") {
    if (outcome.reason === "expired") return { error: signInMessages.codeExpired };
    if (outcome.reason === "missing") return { error: signInMessages.codeMissing };
    return { error: signInMessages.codeWrong(outcome.remainingAttempts) };
  }
  return finishSignIn(id);
}

/** "Cancel": the client hears access_denied; a request that already ended shows its page. */
export async function cancel(formData: FormData): Promise<void> {
  const parsed = authRequestStepSchema.safeParse(fields(formData));
  if (!parsed.success) redirect("/sign-in");
  const id = parsed.data.auth_request;
  const location = await cancelSignIn(id);
  if (location) redirect(location);
  goTo(id);
}

/** "Return to application" after a sign-in ended in Failure (interceptor DENY, timeout…). */
export async function returnToApp(formData: FormData): Promise<void> {
  const parsed = authRequestStepSchema.safeParse(fields(formData));
  if (!parsed.success) redirect("/sign-in");
  const id = parsed.data.auth_request;
  const location = await returnToApplication(id);
  if (location) redirect(location);
  goTo(id);
}

/**
 * Credentials are verified: the interceptors decide, then the authorization completes and the
 * browser goes back to the client with its code and a Gatehouse session cookie.
 */
async function finishSignIn(id: string): Promise<never> {
  const client = await browser();
  const gate = await atEdge(id, () => passSignInGate({ authRequestId: id, client }));
  if (gate.kind === "blocked") goTo(id);
  let completed: Awaited<ReturnType<typeof completeAuthorization>>;
  try {
    completed = await completeAuthorization({
      authRequestId: id,
      userId: gate.userId,
      authMethod: gate.authMethod,
      organizationId: gate.organizationId,
    });
  } catch (error) {
    if (!(error instanceof AuthRequestClosedError)) {
      console.error(`Completing sign-in ${id} failed`, error);
      await failSignIn(id, error);
    }
    goTo(id);
  }
  (await cookies()).set(completed.session);
  redirect(completed.redirectTo);
}

/**
 * Maps the sign-in's typed errors to the page: a request that ended, vanished or is at another
 * step is shown as it is now, never as an error. Anything else reaches the error boundary.
 */
async function atEdge<T>(id: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof AuthRequestClosedError || error instanceof StaleSignInStepError) {
      goTo(id);
    }
    throw error;
  }
}

/** To the sign-in page of a request; replaces history so Back skips finished attempts. */
function goTo(authRequestId: string): never {
  redirect(signInPath(authRequestId), RedirectType.replace);
}

async function browser() {
  return clientInfoFromHeaders(await headers());
}

function fields(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData) if (typeof value === "string") out[key] = value;
  return out;
}

function invalid(error: z.ZodError): SignInFormState {
  const fieldErrors: NonNullable<SignInFormState["fieldErrors"]> = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (field === "email" || field === "password" || field === "code") {
      fieldErrors[field] ??= issue.message;
    } else {
      return { error: signInMessages.unexpected };
    }
  }
  return { fieldErrors };
}
