import type { AuthMethod, AuthStatus } from "@/constants/auth-logs";
import { describeFailure, type FailureReason } from "@/lib/auth-logs/failure-reasons";

/**
 * The shapes of sign-in attempts the demo history is made of, with how often each happens.
 * Event types, statuses and failure codes are the ones lib/sign-in and lib/oauth record, so the
 * dashboard shows demo journeys exactly as it will show real ones.
 *
 * Step times are seconds after the attempt began, scaled per attempt by a pace between 0.6 and
 * 2.4 (people type at different speeds); `{ fixed, scaled }` keeps a fixed part, e.g. the
 * 15-minute timeout after which the sweep closes an abandoned attempt.
 */
type DetailKind =
  | "authorize"
  | "identified"
  | "session_user"
  | "password"
  | "authenticated"
  | "email_sent"
  | "email_verified"
  | "email_rejected"
  | "interceptor_denied"
  | "code_issued"
  | "code_exchanged"
  | "failed"
  | "failed_expired"
  | "failed_unknown_user"
  | "failed_credentials"
  | "failed_interceptor";

type Step = {
  type: string;
  status: AuthStatus | null;
  at: number | { fixed: number; scaled: number };
  detail: DetailKind;
};

type Journey = {
  name: string;
  weight: number;
  /** Still Initiated or Pending: only generated as recent attempts. */
  open?: boolean;
  method?: AuthMethod;
  /** Whether the person was identified (user, organization and connection recorded). */
  identified: boolean;
  email: "user" | "typo" | "none";
  client?: "registered" | "unregistered";
  redirect?: "registered" | "wrong" | "unchecked";
  sessionFound?: boolean;
  promptNone?: boolean;
  steps: Step[];
};

const EXPIRY = { fixed: 900, scaled: 20 };

const authorize = (): Step => ({
  type: "authorize_received",
  status: "initiated",
  at: 0,
  detail: "authorize",
});
const identified = (at: number): Step => ({
  type: "user_identified",
  status: "pending",
  at,
  detail: "identified",
});
const passwordVerified = (at: number): Step => ({
  type: "credentials_verified",
  status: "pending",
  at,
  detail: "password",
});
const authenticated = (at: number): Step => ({
  type: "user_authenticated",
  status: "pending",
  at,
  detail: "authenticated",
});
const emailSent = (at: number): Step => ({
  type: "email_code_sent",
  status: null,
  at,
  detail: "email_sent",
});
const emailRejected = (at: number): Step => ({
  type: "email_code_rejected",
  status: null,
  at,
  detail: "email_rejected",
});
const codeIssued = (at: number): Step => ({
  type: "code_issued",
  status: null,
  at,
  detail: "code_issued",
});
const exchanged = (at: number): Step => ({
  type: "code_exchanged",
  status: "success",
  at,
  detail: "code_exchanged",
});
const failed = (
  reason: FailureReason,
  at: Step["at"],
  detail: DetailKind = "failed",
): Step & { reason: FailureReason } => ({
  type: `failed: ${reason}`,
  status: "failure",
  at,
  detail,
  reason,
});

/** Password sign-in up to the authorization code. */
const passwordToCode = (): Step[] => [
  authorize(),
  identified(6),
  passwordVerified(14),
  authenticated(14.2),
  codeIssued(14.3),
];

export const journeys: Journey[] = [
  {
    name: "password sign-in",
    weight: 47,
    method: "password",
    identified: true,
    email: "user",
    steps: [...passwordToCode(), exchanged(15)],
  },
  {
    name: "email code sign-in",
    weight: 14,
    method: "email_code",
    identified: true,
    email: "user",
    steps: [
      authorize(),
      identified(5),
      emailSent(5.5),
      { type: "credentials_verified", status: "pending", at: 50, detail: "email_verified" },
      authenticated(50.2),
      codeIssued(50.3),
      exchanged(51),
    ],
  },
  {
    name: "single sign-on from a session",
    weight: 17,
    method: "session",
    identified: true,
    email: "user",
    sessionFound: true,
    steps: [
      authorize(),
      { type: "user_identified", status: "pending", at: 0.2, detail: "session_user" },
      codeIssued(0.25),
      exchanged(0.9),
    ],
  },
  {
    name: "wrong password",
    weight: 7,
    method: "password",
    identified: true,
    email: "user",
    steps: [authorize(), identified(6), failed("invalid_credentials", 16, "failed_credentials")],
  },
  {
    name: "unknown email",
    weight: 3.5,
    identified: false,
    email: "typo",
    steps: [authorize(), failed("unknown_user", 7, "failed_unknown_user")],
  },
  {
    name: "wrong email codes",
    weight: 1,
    method: "email_code",
    identified: true,
    email: "user",
    steps: [
      authorize(),
      identified(5),
      emailSent(5.5),
      emailRejected(40),
      emailRejected(60),
      emailRejected(80),
      failed("invalid_email_code", 80.1),
    ],
  },
  {
    name: "cancelled",
    weight: 1.5,
    identified: true,
    email: "user",
    steps: [authorize(), identified(5), failed("user_cancelled", 25)],
  },
  {
    name: "abandoned on the sign-in page",
    weight: 4,
    identified: false,
    email: "none",
    steps: [authorize(), failed("expired", EXPIRY, "failed_expired")],
  },
  {
    name: "code never exchanged",
    weight: 1,
    method: "password",
    identified: true,
    email: "user",
    steps: [...passwordToCode(), failed("expired", EXPIRY, "failed_expired")],
  },
  {
    name: "interceptor denied",
    weight: 1,
    method: "password",
    identified: true,
    email: "user",
    steps: [
      authorize(),
      identified(6),
      passwordVerified(14),
      { type: "interceptor_denied", status: null, at: 14.5, detail: "interceptor_denied" },
      failed("interceptor_rejected", 14.6, "failed_interceptor"),
    ],
  },
  {
    name: "unregistered redirect URI",
    weight: 0.8,
    identified: false,
    email: "none",
    redirect: "wrong",
    steps: [authorize(), failed("invalid_redirect_uri", 0)],
  },
  {
    name: "unknown client",
    weight: 0.5,
    identified: false,
    email: "none",
    client: "unregistered",
    redirect: "unchecked",
    steps: [authorize(), failed("invalid_client", 0)],
  },
  {
    name: "prompt=none without a session",
    weight: 1,
    identified: false,
    email: "none",
    promptNone: true,
    steps: [authorize(), failed("login_required", 0.01)],
  },
  {
    name: "PKCE verifier mismatch",
    weight: 0.4,
    method: "password",
    identified: true,
    email: "user",
    steps: [...passwordToCode(), failed("pkce_mismatch", 15)],
  },
  {
    name: "authorization code replayed",
    weight: 0.3,
    method: "password",
    identified: true,
    email: "user",
    steps: [...passwordToCode(), exchanged(15), failed("code_replayed", 45)],
  },
  {
    name: "waiting for the email",
    weight: 4,
    open: true,
    identified: false,
    email: "none",
    steps: [authorize()],
  },
  {
    name: "waiting for the password",
    weight: 3,
    open: true,
    identified: true,
    email: "user",
    steps: [authorize(), identified(6)],
  },
  {
    name: "waiting for the email code",
    weight: 3,
    open: true,
    identified: true,
    email: "user",
    steps: [authorize(), identified(5), emailSent(5.5)],
  },
];

/**
 * The journeys as the JSON records the generator's SQL reads: one per journey, its steps as
 * parallel arrays that `unnest … with ordinality` turns back into ordered rows.
 */
export function journeyTemplates() {
  const totals = { open: 0, closed: 0 };
  for (const journey of journeys) totals[journey.open ? "open" : "closed"] += journey.weight;
  const cumulative = { open: 0, closed: 0 };
  return journeys.map((journey, idx) => {
    const group = journey.open ? "open" : "closed";
    const lo = cumulative[group] / totals[group];
    cumulative[group] += journey.weight;
    // The last template of a group reaches past 1 so no random draw falls between templates.
    const hi = cumulative[group] >= totals[group] ? 2 : cumulative[group] / totals[group];
    const last = journey.steps.at(-1) as Step;
    const failure = journey.steps.find(
      (step): step is Step & { reason: FailureReason } => "reason" in step,
    );
    return {
      idx,
      lo,
      hi,
      open: journey.open ?? false,
      // Where the journey stands: the last status any of its steps moved it to.
      status: journey.steps.findLast((step) => step.status !== null)?.status ?? "initiated",
      method: journey.method ?? null,
      error_code: failure?.reason ?? null,
      error_description: failure ? describeFailure(failure.reason) : null,
      identified: journey.identified,
      email_kind: journey.email,
      client_kind: journey.client ?? "registered",
      redirect_kind: journey.redirect ?? "registered",
      session_found: journey.sessionFound ?? false,
      prompt_none: journey.promptNone ?? false,
      end_fixed: fixedPart(last.at),
      end_var: scaledPart(last.at),
      step_types: journey.steps.map((step) => step.type),
      step_statuses: journey.steps.map((step) => step.status),
      step_fixed: journey.steps.map((step) => fixedPart(step.at)),
      step_var: journey.steps.map((step) => scaledPart(step.at)),
      step_details: journey.steps.map((step) => step.detail),
    };
  });
}

function fixedPart(at: Step["at"]): number {
  return typeof at === "number" ? 0 : at.fixed;
}

function scaledPart(at: Step["at"]): number {
  return typeof at === "number" ? at : at.scaled;
}
