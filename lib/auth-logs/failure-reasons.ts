/**
 * Every way an authentication attempt can end in Failure: a stable machine code, what happened,
 * and what an operator should check. Codes are part of the API; never rename one.
 */
export const failureReasons = {
  invalid_request: {
    description: "The authorization request was malformed.",
    hint: "Compare the client's authorize URL with the parameters the error names.",
  },
  invalid_client: {
    description: "The client_id is unknown or client authentication failed.",
    hint: "Check the application's client_id and secret in Applications.",
  },
  invalid_redirect_uri: {
    description: "The redirect_uri is not registered for this client.",
    hint: "Redirect URIs must match a registered URI exactly, including path and trailing slash.",
  },
  unsupported_response_type: {
    description: "Only the authorization code flow (response_type=code) is supported.",
    hint: "Configure the client library for the authorization code flow with PKCE.",
  },
  invalid_scope: {
    description: "The requested scope is invalid (openid is required).",
    hint: "Request the openid scope, plus profile, email or offline_access as needed.",
  },
  pkce_required: {
    description: "PKCE with S256 is required and was missing or used the plain method.",
    hint: "Send code_challenge and code_challenge_method=S256 with every authorization request.",
  },
  login_required: {
    description: "prompt=none was requested but the user has no session.",
    hint: "Retry the sign-in without prompt=none so the user can authenticate.",
  },
  unknown_user: {
    description: "No user exists with the email that was entered.",
    hint: "Check the spelling of the email or create the user.",
  },
  invalid_credentials: {
    description: "The password was wrong.",
    hint: "The user can reset the password or sign in with an email code.",
  },
  invalid_email_code: {
    description: "Too many wrong or expired email codes were entered.",
    hint: "The user should request a new code and use it within 10 minutes.",
  },
  method_not_available: {
    description: "The user has no credential for the chosen sign-in method.",
    hint: "Set a password for the user or let them sign in with an email code.",
  },
  interceptor_rejected: {
    description: "A pre-sign-in interceptor answered DENY.",
    hint: "Read the interceptor's message in the timeline; the decision is the interceptor's.",
  },
  interceptor_unavailable: {
    description: "The pre-sign-in interceptor failed or timed out and it fails closed.",
    hint: "Check that the interceptor URL answers within its timeout.",
  },
  user_cancelled: {
    description: "The user cancelled the sign-in.",
    hint: "Nothing to fix unless users cancel often.",
  },
  pkce_mismatch: {
    description: "The code_verifier did not match the code_challenge.",
    hint: "The client must send the verifier generated for this exact authorization request.",
  },
  code_expired: {
    description: "The authorization code was exchanged after it expired (60 s).",
    hint: "The client's back-end must exchange the code right after the redirect.",
  },
  code_replayed: {
    description: "The authorization code was used twice; every token issued from it was revoked.",
    hint: "A code reaching the token endpoint twice means a retrying client or a stolen code.",
  },
  redirect_uri_mismatch: {
    description: "The redirect_uri at the token endpoint differs from the authorization request.",
    hint: "Send the same redirect_uri to /oauth/token as to /oauth/authorize.",
  },
  client_mismatch: {
    description:
      "The authorization code was presented by a different client than it was issued to.",
    hint: "Another application holding this client's code means the code leaked; check redirect URIs.",
  },
  expired: {
    description: "The sign-in was abandoned: it stayed open past the timeout.",
    hint: "The user left the sign-in page, or the client never exchanged its code.",
  },
  server_error: {
    description: "Gatehouse could not complete the sign-in.",
    hint: "Read the server log around the time of this attempt.",
  },
} as const satisfies Record<string, { description: string; hint: string }>;

export type FailureReason = keyof typeof failureReasons;

export function describeFailure(reason: FailureReason): string {
  return failureReasons[reason].description;
}
