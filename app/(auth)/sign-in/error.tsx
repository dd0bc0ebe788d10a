"use client";

import { useEffect } from "react";
import { SignInCard } from "@/components/sign-in/sign-in-card";
import { Button } from "@/components/ui/button";

/** Unexpected failures (database down…): a readable card instead of a bare error page. */
export default function SignInError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <SignInCard
      title="Something went wrong"
      description="Gatehouse couldn't handle that step. Try again, or return to the application and start over."
      party={null}
      footer={
        <Button type="button" onClick={() => retry()} className="w-full">
          Try again
        </Button>
      }
    />
  );
}
