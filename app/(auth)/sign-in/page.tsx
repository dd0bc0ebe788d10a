import type { Metadata } from "next";
import Link from "next/link";
import { FormAlert } from "@/components/forms/form-alert";
import { EmailCodeForm } from "@/components/sign-in/email-code-form";
import { EmailForm } from "@/components/sign-in/email-form";
import { PasswordForm } from "@/components/sign-in/password-form";
import { PlainActionForm } from "@/components/sign-in/plain-action-form";
import { SendCodeForm } from "@/components/sign-in/send-code-form";
import { SignInCard } from "@/components/sign-in/sign-in-card";
import { Separator } from "@/components/ui/separator";
import { loadSignInView, type SignInView } from "@/lib/sign-in";
import {
  cancel,
  requestEmailCode,
  returnToApp,
  submitEmail,
  submitEmailCode,
  submitPassword,
} from "./actions";
import { loadSignInSearchParams, signInPath } from "./search-params";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { auth_request, method } = await loadSignInSearchParams(searchParams);
  const view = await loadSignInView(auth_request);
  switch (view.step) {
    case "email":
      return (
        <SignInCard title="Sign in" party={view.party} footer={<Cancel id={view.authRequestId} />}>
          <EmailForm
            action={submitEmail}
            authRequestId={view.authRequestId}
            defaultEmail={view.defaultEmail}
            notice={view.notice}
          />
        </SignInCard>
      );
    case "credentials":
      return <CredentialsStep view={view} preferPassword={method === "password"} />;
    case "blocked":
      return (
        <SignInCard
          title="You can't sign in right now"
          description="Your sign-in was stopped before it finished."
          party={view.party}
          footer={view.canReturn ? <ReturnToApplication id={auth_request ?? ""} /> : null}
        >
          <FormAlert message={view.message} />
        </SignInCard>
      );
    case "unavailable":
      return (
        <SignInCard
          {...unavailableText[view.reason]}
          party={view.party}
          footer={view.canReturn ? <ReturnToApplication id={auth_request ?? ""} /> : null}
        />
      );
  }
}

const unavailableText = {
  missing: {
    title: "This sign-in link has expired",
    description: "Return to the application and try again.",
  },
  expired: {
    title: "This sign-in link has expired",
    description: "Return to the application and try again.",
  },
  completed: {
    title: "This sign-in link was already used",
    description: "Return to the application to continue, or start again from there.",
  },
  error: {
    title: "We couldn't finish signing you in",
    description: "Something went wrong on our side. Return to the application and try again.",
  },
} as const;

/**
 * Step 2: the methods the user has. With a code on its way the code form leads; otherwise the
 * password form (when there is a password) with "Email me a code" as the alternative.
 */
function CredentialsStep({
  view,
  preferPassword,
}: {
  view: Extract<SignInView, { step: "credentials" }>;
  preferPassword: boolean;
}) {
  const id = view.authRequestId;
  const card = { party: view.party, identity: view.email, footer: <Cancel id={id} /> };
  if (view.codeSent && !(preferPassword && view.hasPassword)) {
    return (
      <SignInCard title="Check your email" {...card}>
        {/* Keyed by the live code: a resent code starts a clean form without the old error. */}
        <EmailCodeForm
          key={view.codeExpiresAt?.toISOString() ?? "none"}
          action={submitEmailCode}
          authRequestId={id}
        />
        <div className="grid gap-1">
          <SendCodeForm
            action={requestEmailCode}
            authRequestId={id}
            label="Resend code"
            variant="ghost"
          />
          {view.hasPassword ? (
            <Link
              href={signInPath(id, "password")}
              replace
              className="text-center text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline"
            >
              Use your password instead
            </Link>
          ) : null}
        </div>
      </SignInCard>
    );
  }
  if (!view.hasPassword) {
    return (
      <SignInCard title="Sign in with an email code" {...card}>
        <FormAlert message={view.notice} />
        <p className="text-sm text-muted-foreground">
          We'll email you a 6-digit code. It works once and expires in 10 minutes.
        </p>
        <SendCodeForm action={requestEmailCode} authRequestId={id} label="Email me a code" />
      </SignInCard>
    );
  }
  return (
    <SignInCard title="Enter your password" {...card}>
      <PasswordForm
        action={submitPassword}
        authRequestId={id}
        email={view.email}
        notice={view.notice}
      />
      <div className="flex items-center gap-3 text-xs uppercase text-muted-foreground">
        <Separator className="flex-1" />
        or
        <Separator className="flex-1" />
      </div>
      <SendCodeForm
        action={requestEmailCode}
        authRequestId={id}
        label="Email me a code"
        variant="outline"
      />
    </SignInCard>
  );
}

function Cancel({ id }: { id: string }) {
  return <PlainActionForm action={cancel} authRequestId={id} label="Cancel" variant="ghost" />;
}

function ReturnToApplication({ id }: { id: string }) {
  return (
    <PlainActionForm
      action={returnToApp}
      authRequestId={id}
      label="Return to application"
      variant="default"
      className="w-full"
    />
  );
}
