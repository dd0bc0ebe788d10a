/**
 * The hosted sign-in, as plain functions over the auth request: the server actions in
 * app/(auth)/sign-in are thin wrappers around these, so every rule is tested without a browser.
 *
 * Flow: email → (password | email code) → pre-sign-in interceptors → the caller completes the
 * authorization (lib/oauth). A wrong email, password or too many wrong codes end the attempt
 * in Failure and continue on a retry request (`retryOf`), so the log has one entry per try.
 *
 * Methods: a password when the user has one; an email code always, because every user has an
 * email address and reading the code proves they control it (a successful code also marks the
 * email verified). Users without a password are therefore passwordless, not locked out.
 */
export {
  EMAIL_CODE_LIFETIME_MS,
  EMAIL_CODE_MAX_ATTEMPTS,
  EMAIL_CODE_MAX_SENDS,
  type SendCodeOutcome,
  sendEmailCode,
  type VerifyCodeOutcome,
  verifyEmailCode,
} from "./email-code";
export { cancelSignIn, failSignIn, returnToApplication } from "./exit";
export { type GateOutcome, passSignInGate } from "./finish";
export {
  DIRECTORY_CONNECTION,
  discoverHomeRealm,
  type IdentifyOutcome,
  identifyUser,
} from "./identify";
export { type CredentialsOutcome, verifyPasswordStep } from "./password";
export { StaleSignInStepError } from "./request";
export {
  INTERCEPTOR_UNAVAILABLE_MESSAGE,
  loadSignInView,
  type SignInParty,
  type SignInView,
} from "./view";
