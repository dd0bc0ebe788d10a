import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignOutButton } from "@/components/dashboard/sign-out-button";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getDashboardAccess } from "@/lib/dashboard/access";
import { DASHBOARD_HOME, signInPath } from "@/lib/dashboard/return-path";

export const metadata: Metadata = { title: "No access" };

export default async function NoAccessPage() {
  const access = await getDashboardAccess();
  if (access.kind === "signed_out") redirect(signInPath(DASHBOARD_HOME));
  if (access.kind === "granted") redirect(DASHBOARD_HOME);
  return (
    <main className="mx-auto flex min-h-svh max-w-lg flex-col justify-center p-6">
      <Card>
        <CardHeader>
          <CardTitle>
            <h1 className="text-xl">You don't have access to the Gatehouse dashboard</h1>
          </CardTitle>
          <CardDescription>
            Signed in as <strong>{access.email}</strong>.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <Alert>
            <AlertTitle>Only organization administrators can use the dashboard</AlertTitle>
            <AlertDescription>
              <p>
                Administrators of the operator organization see every organization; administrators
                of a customer organization see their own. Ask an administrator to make you one, then
                sign in again.
              </p>
            </AlertDescription>
          </Alert>
          <div>
            <SignOutButton />
          </div>
        </CardContent>
      </Card>
    </main>
  );
}
