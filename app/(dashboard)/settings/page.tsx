import { SettingsIcon } from "lucide-react";
import type { Metadata } from "next";
import { ComingSoon } from "@/components/dashboard/coming-soon";
import { requireDashboardScope } from "@/lib/dashboard/access";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireDashboardScope("/settings");
  return (
    <ComingSoon
      title="Settings"
      icon={SettingsIcon}
      today={
        <p>
          Gatehouse is configured through environment variables (see the README's Configuration
          table).
        </p>
      }
    >
      <p>
        Manage management API keys, sign-in methods, session lifetime and the auth-request timeout,
        and see the issuer and signing keys in use.
      </p>
    </ComingSoon>
  );
}
