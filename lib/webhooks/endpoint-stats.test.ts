import { describe, expect, it, onTestFinished } from "vitest";
import type { DeliveryStatus } from "@/constants/webhooks";
import { operatorScope, organizationScope } from "@/lib/organizations/scope";
import {
  createTestDeliveries,
  createTestEndpoint,
  createTestOrganization,
} from "@/tests/support/factories";
import { getEndpointStats } from "./endpoint-stats";
import { deleteEndpoint } from "./endpoints";

const NOW = new Date("2030-06-01T12:00:00.000Z");
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3600_000);

/** Deliveries to `endpointId`, created at the given times with the given statuses. */
function deliveries(endpointId: string, rows: [createdAt: Date, status: DeliveryStatus][]) {
  return createTestDeliveries(
    endpointId,
    rows.map(([at, status]) => ({ at, status })),
  );
}

describe("getEndpointStats", () => {
  it("counts the last 24 hours, rates finished deliveries, and finds the newest delivery", async () => {
    const organization = await createTestOrganization();
    const { endpoint } = await createTestEndpoint(organization.id);
    await deliveries(endpoint.id, [
      [hoursAgo(30), "failed"], // outside the window: not counted
      [hoursAgo(20), "success"],
      [hoursAgo(10), "success"],
      [hoursAgo(5), "success"],
      [hoursAgo(3), "failed"],
      [hoursAgo(1), "retrying"], // no outcome yet: counted, but not in the rate
    ]);

    const stats = await getEndpointStats(operatorScope, [endpoint.id], NOW);
    expect(stats.get(endpoint.id)).toEqual({
      deliveries: 5,
      succeeded: 3,
      failed: 1,
      successRate: 0.75,
      lastDelivery: { createdAt: hoursAgo(1), status: "retrying" },
    });
  });

  it("reads every endpoint of the page in one call; quiet endpoints get empty stats", async () => {
    const organization = await createTestOrganization();
    const { endpoint: quiet } = await createTestEndpoint(organization.id);
    const { endpoint: old } = await createTestEndpoint(organization.id);
    const { endpoint: busy } = await createTestEndpoint(organization.id);
    await deliveries(old.id, [[hoursAgo(48), "success"]]);
    await deliveries(busy.id, [
      [hoursAgo(2), "success"],
      [hoursAgo(1), "success"],
    ]);

    const stats = await getEndpointStats(
      organizationScope(organization.id),
      [quiet.id, old.id, busy.id],
      NOW,
    );
    expect(stats.get(quiet.id)).toEqual({
      deliveries: 0,
      succeeded: 0,
      failed: 0,
      successRate: null,
      lastDelivery: null,
    });
    // Nothing in the window, but the last delivery is still worth showing.
    expect(stats.get(old.id)).toMatchObject({
      deliveries: 0,
      successRate: null,
      lastDelivery: { createdAt: hoursAgo(48), status: "success" },
    });
    expect(stats.get(busy.id)).toMatchObject({ deliveries: 2, successRate: 1 });
  });

  it("leaves out endpoints outside the scope, even when named", async () => {
    const mine = await createTestOrganization();
    const theirs = await createTestOrganization();
    const { endpoint: own } = await createTestEndpoint(mine.id);
    const { endpoint: foreign } = await createTestEndpoint(theirs.id);
    const { endpoint: operatorEndpoint } = await createTestEndpoint(null, {
      eventTypes: ["webhook.test"],
    });
    await deliveries(foreign.id, [[hoursAgo(1), "failed"]]);
    onTestFinished(() => deleteEndpoint(operatorScope, operatorEndpoint.id));

    const stats = await getEndpointStats(
      organizationScope(mine.id),
      [own.id, foreign.id, operatorEndpoint.id, "ep_unknown"],
      NOW,
    );
    expect([...stats.keys()]).toEqual([own.id]);
    expect(await getEndpointStats(organizationScope(mine.id), [], NOW)).toEqual(new Map());

    const everything = await getEndpointStats(
      operatorScope,
      [foreign.id, operatorEndpoint.id],
      NOW,
    );
    expect(everything.get(foreign.id)?.failed).toBe(1);
    expect(everything.has(operatorEndpoint.id)).toBe(true);
  });
});
