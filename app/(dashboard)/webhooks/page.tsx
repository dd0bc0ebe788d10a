import { WebhookIcon } from "lucide-react";
import type { Metadata } from "next";
import { ComingSoon } from "@/components/dashboard/coming-soon";
import { requireDashboardScope } from "@/lib/dashboard/access";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  await requireDashboardScope("/webhooks");
  return (
    <ComingSoon
      title="Webhooks"
      icon={WebhookIcon}
      today={
        <p>
          Interceptors (pre-sign-in hooks) are managed through the management API at
          /api/v1/interceptors.
        </p>
      }
    >
      <p>
        Register endpoints that receive signed events (Standard Webhooks) when an auth request
        succeeds or fails, and follow every delivery attempt: status, retries, response body and
        latency.
      </p>
      <p>Deliveries are retried with backoff and can be replayed from here.</p>
    </ComingSoon>
  );
}
