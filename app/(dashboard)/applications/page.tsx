import { AppWindowIcon } from "lucide-react";
import type { Metadata } from "next";
import { ComingSoon } from "@/components/dashboard/coming-soon";
import { requireDashboardScope } from "@/lib/dashboard/access";

export const metadata: Metadata = { title: "Applications" };

export default async function ApplicationsPage() {
  await requireDashboardScope("/applications");
  return (
    <ComingSoon
      title="Applications"
      icon={AppWindowIcon}
      today={
        <p>
          Register OAuth clients with the management API (POST /api/v1/clients); the secret is shown
          once.
        </p>
      }
    >
      <p>
        Register OAuth applications, edit their redirect and post-logout URIs, rotate client
        secrets, and jump to each application's auth logs.
      </p>
    </ComingSoon>
  );
}
