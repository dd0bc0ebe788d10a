import { Building2Icon } from "lucide-react";
import type { Metadata } from "next";
import { ComingSoon } from "@/components/dashboard/coming-soon";
import { requireDashboardScope } from "@/lib/dashboard/access";

export const metadata: Metadata = { title: "Organizations" };

export default async function OrganizationsPage() {
  await requireDashboardScope("/organizations");
  return (
    <ComingSoon
      title="Organizations"
      icon={Building2Icon}
      today={
        <p>
          Create and list organizations and users with the management API (/api/v1/organizations,
          /api/v1/users).
        </p>
      }
    >
      <p>
        Browse organizations, their verified email domains and members, invite administrators and
        change roles.
      </p>
    </ComingSoon>
  );
}
