import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { webhookDeliveries } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { db } from "@/lib/db";
import { createTestEndpoint, createTestOrganization } from "@/tests/support/factories";
import { emitPing, readDelivery } from "@/tests/webhooks/support";
import { redispatchWebhookDeliveries } from "./redispatch-webhook-deliveries";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("redispatch-webhook-deliveries", () => {
  it("hands over the deliveries whose hand-off never happened", async () => {
    const organization = await createTestOrganization();
    await createTestEndpoint(organization.id);
    const emitted = await emitPing(organization.id);
    const deliveryId = emitted.deliveries[0]?.deliveryId ?? "";
    // Committed, never handed over (the process died right after the commit), a minute ago.
    await db
      .update(webhookDeliveries)
      .set({ updatedAt: new Date(Date.now() - 60_000) })
      .where(eq(webhookDeliveries.id, deliveryId));
    const send = vi.spyOn(inngest, "send").mockResolvedValue({ ids: [] } as never);

    const { result } = await new InngestTestEngine({
      function: redispatchWebhookDeliveries,
    }).execute();

    expect((result as { sent: number }).sent).toBeGreaterThanOrEqual(1);
    const ids = send.mock.calls.flatMap((call) =>
      (call[0] as unknown as { id: string }[]).map((event) => event.id),
    );
    expect(ids).toContain(deliveryId);
    expect((await readDelivery(deliveryId)).dispatchedAt).toBeInstanceOf(Date);
  });
});
