import type { Metadata } from "next";
import Link from "next/link";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DASHBOARD_HOME, signInPath } from "@/lib/dashboard/return-path";

export const metadata: Metadata = { title: "Signed out" };

/**
 * Where the dashboard's sign-out ends (the registered post_logout_redirect_uri), and where
 * next-auth sends a sign-in that failed (`?error=`), with a way back in either way.
 */
export default async function SignedOutPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { error } = await searchParams;
  const failed = typeof error === "string" && error.length > 0;
  return (
    <main className="mx-auto flex min-h-svh max-w-md flex-col justify-center p-6">
      <Card>
        <CardHeader>
          <CardTitle>
            <h1 className="text-xl">
              {failed ? "Signing in to the dashboard failed" : "You are signed out"}
            </h1>
          </CardTitle>
          <CardDescription>
            {failed
              ? "The sign-in did not complete, so no dashboard session was started."
              : "Your dashboard session and your Gatehouse session have ended."}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {failed ? (
            <Alert variant="destructive">
              <AlertTitle>Reason: {error}</AlertTitle>
              <AlertDescription>
                <p>The attempt is in the Auth Logs under the Gatehouse Dashboard application.</p>
              </AlertDescription>
            </Alert>
          ) : null}
          <div>
            <Button asChild>
              <Link href={signInPath(DASHBOARD_HOME)} prefetch={false}>
                Sign in again
              </Link>
            </Button>
          </div>
        </CardContent>
      </Card>
    </main>
  );
}
