import { Building2Icon, MailIcon } from "lucide-react";
import type { ReactNode } from "react";
import {
  Card,
  CardContent,
  CardDescription,
  CardFooter,
  CardHeader,
  CardTitle,
} from "@/components/ui/card";

export type SignInParty = { clientName: string | null; organizationName: string | null };

/**
 * The frame of every sign-in step: who the user is signing in to (application and, when known,
 * organization), a heading, the step's content, and an optional footer (Cancel).
 */
export function SignInCard({
  title,
  description,
  party,
  identity,
  children,
  footer,
}: {
  title: string;
  description?: ReactNode;
  party: SignInParty | null;
  /** The account being signed in, once known. */
  identity?: string;
  children?: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <Card className="w-full gap-5">
      <CardHeader className="gap-2 text-center">
        {party?.organizationName ? (
          <p className="mx-auto inline-flex items-center gap-1.5 rounded-full border bg-muted/50 px-2.5 py-0.5 text-xs text-muted-foreground">
            <Building2Icon aria-hidden="true" className="size-3.5" />
            <span className="sr-only">Organization: </span>
            {party.organizationName}
          </p>
        ) : null}
        <CardTitle>
          <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
        </CardTitle>
        {description || party?.clientName ? (
          <CardDescription>
            {description ?? (
              <>
                to continue to{" "}
                <span className="font-medium text-foreground">{party?.clientName}</span>
              </>
            )}
          </CardDescription>
        ) : null}
        {identity ? (
          <p className="mx-auto flex max-w-full min-w-0 items-center gap-1.5 rounded-md bg-muted px-2.5 py-1 text-sm">
            <MailIcon aria-hidden="true" className="size-3.5 shrink-0 text-muted-foreground" />
            <span className="sr-only">Signing in as </span>
            <span className="truncate font-medium">{identity}</span>
          </p>
        ) : null}
      </CardHeader>
      {children ? <CardContent className="grid gap-5">{children}</CardContent> : null}
      {footer ? (
        <CardFooter className="justify-center border-t pt-4 [.border-t]:pt-4">{footer}</CardFooter>
      ) : null}
    </Card>
  );
}
