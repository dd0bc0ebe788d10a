"use client";

import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { signOutOfDashboard } from "@/lib/dashboard/actions";

/** Signs out of the dashboard and of Gatehouse (see signOutOfDashboard). */
export function SignOutButton() {
  const [pending, start] = useTransition();
  return (
    <Button
      type="button"
      variant="outline"
      disabled={pending}
      onClick={() =>
        start(async () => {
          window.location.assign(await signOutOfDashboard());
        })
      }
    >
      Sign out
    </Button>
  );
}
