import { inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  replayDeliveryAction,
  replayFailedInViewAction,
} from "@/app/(dashboard)/webhooks/[endpointId]/actions";
import { loadDeliveryLogSearchParams } from "@/app/(dashboard)/webhooks/[endpointId]/search-params";
import { filtersFromSearchParams } from "@/app/(dashboard)/webhooks/[endpointId]/url-filters";
import * as deliveriesRoute from "@/app/api/v1/webhooks/endpoints/[id]/deliveries/route";
import * as endpointReplayRoute from "@/app/api/v1/webhooks/endpoints/[id]/replay/route";
import type { DeliveryStatus } from "@/constants/webhooks";
import { webhookDeliveries } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { loadDeliveryLogView } from "@/lib/dashboard/delivery-log-view";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { operatorScope, organizationScope, type Scope } from "@/lib/organizations/scope";
import { type DeliveryFilter, listDeliveries } from "@/lib/webhooks/deliveries";
import { getDeliveryDetail } from "@/lib/webhooks/delivery-log";
import { countReplayableFailures, getDeliveryStats } from "@/lib/webhooks/delivery-stats";
import { call, organizationKey } from "@/tests/api/support";
import { actAsAdminOf, signedIn } from "@/tests/support/dashboard-access";
import {
  createTestDeliveries,
  createTestEndpoint,
  createTestOrganization,
  type DeliverySeed,
} from "@/tests/support/factories";
import { readDelivery } from "./support";

/**
 * The Webhooks dashboard's delivery log against a real database: what the list, the count, the
 * chart and "replay all failed" agree on for each filter, keyset paging, and tenancy of the reads
 * and of the replay actions. Each test makes its own organization and endpoint.
 */

vi.mock("@/lib/dashboard/access", () => import("@/tests/support/dashboard-access"));

let send: ReturnType<typeof spyOnSend>;
const spyOnSend = () => vi.spyOn(inngest, "send").mockResolvedValue({ ids: [] } as never);
const sentIds = () =>
  send.mock.calls.flatMap((args) => (args[0] as unknown as { id: string }[]).map((e) => e.id));

beforeEach(() => {
  send = spyOnSend();
});
afterEach(() => {
  vi.restoreAllMocks();
  signedIn.viewer = undefined;
});

/** An organization with one endpoint and deliveries made exactly as `seeds` say. */
async function endpointWith(seeds: DeliverySeed[]) {
  const organization = await createTestOrganization();
  const { endpoint } = await createTestEndpoint(organization.id);
  const ids = await createTestDeliveries(endpoint.id, seeds);
  return { organization, endpoint, ids, scope: organizationScope(organization.id) };
}

const minute = 60_000;
const base = new Date("2030-03-01T12:00:00.000Z");
const plus = (ms: number) => new Date(base.getTime() + ms);

async function all(scope: Scope, filter: DeliveryFilter): Promise<string[]> {
  const page = await listDeliveries(scope, filter, { limit: 100 });
  return page.data.map((delivery) => delivery.id);
}

describe("delivery log filters", () => {
  it("includes deliveries created exactly at either end of the time range", async () => {
    const { endpoint, ids, scope } = await endpointWith([
      { at: plus(0) },
      { at: plus(minute) },
      { at: plus(2 * minute) },
      { at: plus(3 * minute) },
    ]);
    const [, atFrom, atTo] = ids as [string, string, string, string];
    const filter = { endpointId: endpoint.id, from: plus(minute), to: plus(2 * minute) };
    expect(await all(scope, filter)).toEqual([atTo, atFrom]);

    // The chart and the count agree with the list, boundaries included.
    const stats = await getDeliveryStats(endpoint, filter, plus(10 * minute));
    expect(stats).toMatchObject({ total: 2, exact: true });
    expect(stats.buckets.reduce((sum, bucket) => sum + bucket.total, 0)).toBe(2);

    // A range of one instant is that instant.
    expect(await all(scope, { ...filter, to: plus(minute) })).toEqual([atFrom]);

    // The management API reads `to` the same way.
    const key = await organizationKey(scope.kind === "organization" ? scope.organizationId : "");
    const response = await call(deliveriesRoute.GET, {
      path: `/api/v1/webhooks/endpoints/${endpoint.id}/deliveries?from=${plus(minute).toISOString()}&to=${plus(2 * minute).toISOString()}`,
      key,
      params: { id: endpoint.id },
    });
    expect(response.body.data.map((d: { id: string }) => d.id)).toEqual([atTo, atFrom]);
  });

  it("filters by several statuses at once and by event type, and the counts follow", async () => {
    const { endpoint, ids, scope } = await endpointWith([
      { at: plus(0), status: "success", type: "user.login" },
      { at: plus(1), status: "failed", type: "user.login" },
      { at: plus(2), status: "retrying", type: "user.signup" },
      { at: plus(3), status: "queued", type: "user.login" },
      { at: plus(4), status: "failed", type: "user.signup" },
    ]);
    const [success, failedLogin, retrying, queued, failedSignup] = ids as string[];
    const endpointId = endpoint.id;

    expect(await all(scope, { endpointId, statuses: ["failed", "retrying"] })).toEqual([
      failedSignup,
      retrying,
      failedLogin,
    ]);
    expect(await all(scope, { endpointId, eventType: "user.login" })).toEqual([
      queued,
      failedLogin,
      success,
    ]);
    expect(
      await all(scope, { endpointId, eventType: "user.login", statuses: ["failed", "queued"] }),
    ).toEqual([queued, failedLogin]);

    const stats = await getDeliveryStats(
      endpoint,
      { statuses: ["failed", "retrying"] },
      plus(minute),
    );
    expect(stats.total).toBe(3);
    const byStatus = sumCounts(stats.buckets);
    expect(byStatus).toEqual({ queued: 0, retrying: 1, success: 0, failed: 2 });
  });

  it("pages newest first with no duplicates or gaps, also within one millisecond", async () => {
    const seeds: DeliverySeed[] = [];
    // Three share one millisecond: the cursor keeps PostgreSQL's microseconds and the id.
    for (let n = 0; n < 9; n++) seeds.push({ at: plus(n < 3 ? 0 : n * 1000) });
    const { endpoint, scope } = await endpointWith(seeds);
    const everything = await all(scope, { endpointId: endpoint.id });
    expect(everything).toHaveLength(9);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listDeliveries(scope, { endpointId: endpoint.id }, { limit: 2, cursor });
      seen.push(...page.data.map((delivery) => delivery.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(everything);
    expect(new Set(seen).size).toBe(9);
    expect(pages).toBe(5);
  });

  it("turns presets and custom ranges from the URL into inclusive bounds", () => {
    const now = new Date("2030-03-01T12:00:00Z");
    const empty = loadDeliveryLogSearchParams("");
    const preset = filtersFromSearchParams({ ...empty, range: "5m" }, now);
    expect(preset.filters).toEqual({ from: new Date("2030-03-01T11:55:00Z"), to: now });
    const custom = filtersFromSearchParams(
      { ...empty, range: "custom", from: plus(0), to: plus(minute) },
      now,
    );
    expect(custom.filters).toEqual({ from: plus(0), to: plus(minute) });
    const typed = filtersFromSearchParams(
      { ...empty, type: "user.teleported", status: ["failed", "failed"] },
      now,
    );
    expect(typed.filters).toEqual({ statuses: ["failed"] });
    expect(typed.eventTypeError).toMatch(/not an event type/);
  });

  it("estimates the chart past the exact limit, and says so", async () => {
    const seeds: DeliverySeed[] = [];
    for (let n = 0; n < 30; n++) seeds.push({ at: plus(n * 1000), status: "success" });
    const { endpoint } = await endpointWith(seeds);
    const stats = await getDeliveryStats(endpoint, {}, plus(minute), db, 10);
    expect(stats.exact).toBe(false);
    expect(stats.total).toBeGreaterThan(10);
  });
});

describe("delivery log view", () => {
  it("shows each row's latest answer and counts what replaying the view would replay", async () => {
    const { endpoint, ids, scope } = await endpointWith([
      {
        at: plus(0),
        status: "failed",
        attempts: [
          { status: 500, durationMs: 12 },
          { status: null, durationMs: 15_000 },
        ],
      },
      { at: plus(minute), status: "failed", type: "user.login", attempts: [] },
      { at: plus(2 * minute), status: "success", attempts: [{ status: 204, durationMs: 7 }] },
    ]);
    const [failedTest, failedLogin, succeeded] = ids as [string, string, string];
    const view = await loadDeliveryLogView(scope, endpoint.id, {}, { limit: 25 }, plus(3 * minute));
    expect(view.page.data.map((row) => [row.id, row.lastAttempt?.responseStatus])).toEqual([
      [succeeded, 204],
      [failedLogin, undefined],
      [failedTest, null],
    ]);
    expect(view.page.data[2]?.lastAttempt).toMatchObject({ attempt: 2, durationMs: 15_000 });
    expect(view.replay.failed).toBe(2);

    const narrowed = await loadDeliveryLogView(
      scope,
      endpoint.id,
      { from: plus(0), to: plus(minute), eventType: "webhook.test" },
      { limit: 25 },
    );
    expect(narrowed.replay).toEqual({
      filter: { since: plus(0), until: plus(minute), eventType: "webhook.test" },
      failed: 1,
    });
    // A view of Success only has nothing to replay.
    const successes = await loadDeliveryLogView(
      scope,
      endpoint.id,
      { statuses: ["success"] },
      { limit: 25 },
    );
    expect(successes.replay.failed).toBe(0);
    expect(await countReplayableFailures(endpoint, { until: plus(minute) })).toBe(2);
  });

  it("answers not found for another tenant's endpoint or delivery, and for a mismatched URL", async () => {
    const mine = await endpointWith([{ at: plus(0) }]);
    const theirs = await endpointWith([{ at: plus(0) }]);
    const [theirDelivery] = theirs.ids as [string];
    const [myDelivery] = mine.ids as [string];

    await expect(
      loadDeliveryLogView(mine.scope, theirs.endpoint.id, {}, { limit: 25 }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      getDeliveryDetail(mine.scope, theirs.endpoint.id, theirDelivery),
    ).rejects.toBeInstanceOf(NotFoundError);
    // Their delivery under my endpoint's URL is not found either.
    await expect(
      getDeliveryDetail(mine.scope, mine.endpoint.id, theirDelivery),
    ).rejects.toBeInstanceOf(NotFoundError);

    const detail = await getDeliveryDetail(mine.scope, mine.endpoint.id, myDelivery);
    expect(detail).toMatchObject({ id: myDelivery, endpoint: { id: mine.endpoint.id } });
    expect(detail.event.body).toContain('"type":"webhook.test"');
    // The operator sees every tenant.
    await expect(
      getDeliveryDetail(operatorScope, theirs.endpoint.id, theirDelivery),
    ).resolves.toMatchObject({ id: theirDelivery });
  });
});

describe("replay actions", () => {
  it("replay one delivery only within the admin's organization", async () => {
    const mine = await endpointWith([{ at: plus(0), status: "failed", attempts: [] }]);
    const theirs = await endpointWith([{ at: plus(0), status: "failed", attempts: [] }]);
    const [myDelivery] = mine.ids as [string];
    const [theirDelivery] = theirs.ids as [string];
    actAsAdminOf(mine.organization);

    const refused = await replayDeliveryAction({ delivery_id: theirDelivery });
    expect(refused).toEqual({ ok: false, error: "Webhook delivery was not found" });
    expect((await readDelivery(theirDelivery)).status).toBe("failed");
    expect(sentIds()).toEqual([]);

    const replayed = await replayDeliveryAction({ delivery_id: myDelivery });
    expect(replayed).toMatchObject({ ok: true, replayed: 1 });
    expect((await readDelivery(myDelivery)).status).toBe("queued");
    expect(sentIds()).toEqual([`${myDelivery}-replay-1`]);

    // Still on its way: a second replay is refused with the reason.
    const busy = await replayDeliveryAction({ delivery_id: myDelivery });
    expect(busy.ok).toBe(false);
    expect(busy).toMatchObject({
      ok: false,
      error: expect.stringMatching(/still being delivered/),
    });
  });

  it("replay all failed in a view: exactly the counted ones, never another tenant's", async () => {
    const mine = await endpointWith([
      { at: plus(0), status: "failed" },
      { at: plus(minute), status: "failed" },
      { at: plus(2 * minute), status: "failed", type: "user.login" },
      { at: plus(3 * minute), status: "failed" },
      { at: plus(minute), status: "success" },
    ]);
    const theirs = await endpointWith([{ at: plus(minute), status: "failed" }]);
    const [, atSince, , atUntil] = mine.ids as string[];
    const filters = {
      from: plus(minute),
      to: plus(3 * minute),
      eventType: "webhook.test" as const,
    };

    actAsAdminOf(theirs.organization);
    const refused = await replayFailedInViewAction({
      endpoint_id: mine.endpoint.id,
      filter: { since: filters.from.toISOString() },
    });
    expect(refused).toEqual({ ok: false, error: "Webhook endpoint was not found" });
    expect(sentIds()).toEqual([]);

    actAsAdminOf(mine.organization);
    const view = await loadDeliveryLogView(mine.scope, mine.endpoint.id, filters, { limit: 25 });
    expect(view.replay.failed).toBe(2);
    const replayed = await replayFailedInViewAction({
      endpoint_id: mine.endpoint.id,
      filter: {
        since: view.replay.filter.since?.toISOString(),
        until: view.replay.filter.until?.toISOString(),
        event_type: view.replay.filter.eventType,
      },
    });
    expect(replayed).toEqual({ ok: true, replayed: 2, message: "Replaying 2 failed deliveries" });
    expect(sentIds().sort()).toEqual([`${atSince}-replay-1`, `${atUntil}-replay-1`].sort());
    const statuses = await db
      .select({ id: webhookDeliveries.id, status: webhookDeliveries.status })
      .from(webhookDeliveries)
      .where(inArray(webhookDeliveries.id, [...mine.ids, ...theirs.ids]));
    expect(
      statuses
        .filter((row) => row.status === "queued")
        .map((row) => row.id)
        .sort(),
    ).toEqual([atSince, atUntil].sort());

    // Input is parsed as the API parses it.
    const malformed = await replayFailedInViewAction({
      endpoint_id: mine.endpoint.id,
      filter: { since: "yesterday" },
    });
    expect(malformed).toEqual({
      ok: false,
      error: expect.stringMatching(/^filter\.since must be an ISO 8601 date-time/),
    });
  });

  it("the API's endpoint replay reads `until` as inclusive, like the log's `to`", async () => {
    const { endpoint, ids, organization } = await endpointWith([
      { at: plus(0), status: "failed" },
      { at: plus(minute), status: "failed" },
    ]);
    const key = await organizationKey(organization.id);
    const response = await call(endpointReplayRoute.POST, {
      path: `/api/v1/webhooks/endpoints/${endpoint.id}/replay`,
      key,
      params: { id: endpoint.id },
      body: { until: plus(0).toISOString() },
    });
    expect(response.body).toEqual({ replayed: 1, delivery_ids: [ids[0]] });
  });
});

function sumCounts(buckets: { counts: Record<DeliveryStatus, number> }[]) {
  const sums: Record<DeliveryStatus, number> = { queued: 0, retrying: 0, success: 0, failed: 0 };
  for (const bucket of buckets) {
    for (const status of Object.keys(sums) as DeliveryStatus[])
      sums[status] += bucket.counts[status];
  }
  return sums;
}
