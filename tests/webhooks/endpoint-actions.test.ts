import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  revealWebhookSecret,
  rotateWebhookSecret,
  sendWebhookTestEvent,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
} from "@/app/(dashboard)/webhooks/actions";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { inngest } from "@/inngest/client";
import type { ActionResult } from "@/lib/dashboard/action";
import { db } from "@/lib/db";
import { operatorScope } from "@/lib/organizations/scope";
import { getEndpoint } from "@/lib/webhooks/endpoints";
import { actAsAdminOf, actAsOperator, signedIn } from "@/tests/support/dashboard-access";
import { createTestEndpoint, createTestOrganization } from "@/tests/support/factories";

vi.mock("@/lib/dashboard/access", () => import("@/tests/support/dashboard-access"));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

beforeEach(() => {
  vi.spyOn(inngest, "send").mockResolvedValue({ ids: [] } as never);
});
afterEach(() => {
  vi.restoreAllMocks();
  signedIn.viewer = undefined;
});

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) data.append(name, item);
  }
  return data;
}

const notFound = { ok: false, error: expect.stringMatching(/not found/) };

function fieldErrorsOf(result: ActionResult) {
  return result.ok ? undefined : result.fieldErrors;
}

function saved<Data extends object>(result: ActionResult<Data>): Data {
  if (!result.ok) throw new Error(`Not saved: ${JSON.stringify(result)}`);
  return result;
}

describe("creating and editing from the dashboard", () => {
  it("creates an endpoint in the admin's own organization and returns its secret once", async () => {
    const organization = await createTestOrganization();
    actAsAdminOf(organization);
    const state = await createWebhookEndpoint(
      null,
      form({
        url: "https://hooks.example.com/in",
        description: "  Billing  ",
        event_types_mode: "selected",
        event_types: ["user.login", "user.signup"],
        rate_limit_per_second: "5",
      }),
    );
    if (!state.ok) throw new Error(JSON.stringify(state));
    expect(state.secret).toMatch(/^whsec_/);
    const endpoint = await getEndpoint(operatorScope, state.endpointId);
    expect(endpoint).toMatchObject({
      organizationId: organization.id,
      url: "https://hooks.example.com/in",
      description: "Billing",
      eventTypes: ["user.login", "user.signup"],
      rateLimitPerSecond: 5,
      enabled: true,
    });
  });

  it("answers bad input with a readable message per field, never a fault", async () => {
    const organization = await createTestOrganization();
    actAsAdminOf(organization);
    expect(
      await createWebhookEndpoint(
        null,
        form({ url: " ", event_types_mode: "all", rate_limit_per_second: "0" }),
      ),
    ).toEqual({
      ok: false,
      fieldErrors: {
        url: "URL is required",
        rate_limit_per_second: "Rate limit must be at least 1",
      },
    });
    expect(
      fieldErrorsOf(
        await createWebhookEndpoint(
          null,
          form({ url: "https://a.example", rate_limit_per_second: "x" }),
        ),
      ),
    ).toEqual({ rate_limit_per_second: "Rate limit must be a whole number" });
    expect(
      fieldErrorsOf(
        await createWebhookEndpoint(
          null,
          form({ url: "https://a.example", event_types_mode: "selected" }),
        ),
      ),
    ).toEqual({ event_types: "Pick at least one event type, or choose All events" });
    // Every field's problem at once, not one per submission.
    expect(
      fieldErrorsOf(
        await createWebhookEndpoint(null, form({ url: "", event_types_mode: "selected" })),
      ),
    ).toEqual({
      url: "URL is required",
      event_types: "Pick at least one event type, or choose All events",
    });
    // The URL safety check runs in createEndpoint; its refusal is a field message too.
    expect(
      fieldErrorsOf(
        await createWebhookEndpoint(null, form({ url: "ftp://files.example.com/hook" })),
      ),
    ).toEqual({ url: "The URL must start with https://" });
    expect(fieldErrorsOf(await createWebhookEndpoint(null, form({ url: "not a url" })))).toEqual({
      url: "Enter a full URL such as https://example.com/hook",
    });
    // A limit the schema words no message for reads like the API's, not like zod's.
    expect(
      fieldErrorsOf(
        await createWebhookEndpoint(
          null,
          form({ url: "https://a.example", organization_id: "o".repeat(101) }),
        ),
      ),
    ).toEqual({ organization_id: "Organization must be at most 100 characters" });
  });

  it("an organization's admin cannot create an endpoint for another organization", async () => {
    const mine = await createTestOrganization();
    const theirs = await createTestOrganization();
    actAsAdminOf(mine);
    const state = await createWebhookEndpoint(
      null,
      form({ url: "https://hooks.example.com/x", organization_id: theirs.id }),
    );
    expect(fieldErrorsOf(state)?.organization_id).toMatch(/^Organization /);
    expect(
      await db
        .select()
        .from(webhookEndpoints)
        .where(eq(webhookEndpoints.organizationId, theirs.id)),
    ).toEqual([]);
  });

  it("operators pick the organization, or none for an operator endpoint", async () => {
    const organization = await createTestOrganization();
    actAsOperator();
    const forOrganization = await createWebhookEndpoint(
      null,
      form({ url: "https://hooks.example.com/o", organization_id: organization.id }),
    );
    expect(
      (await getEndpoint(operatorScope, saved(forOrganization).endpointId)).organizationId,
    ).toBe(organization.id);
    const forEveryone = await createWebhookEndpoint(
      null,
      form({
        url: "https://hooks.example.com/all",
        organization_id: "operator",
        event_types_mode: "selected",
        event_types: ["webhook.test"],
      }),
    );
    const operatorEndpointId = saved(forEveryone).endpointId;
    expect((await getEndpoint(operatorScope, operatorEndpointId)).organizationId).toBeNull();
    expect(await deleteWebhookEndpoint({ endpoint_id: operatorEndpointId })).toEqual({ ok: true });
  });

  it("edits the fields given; 'All events' subscribes to every type again", async () => {
    const organization = await createTestOrganization();
    const { endpoint } = await createTestEndpoint(organization.id, {
      eventTypes: ["user.login"],
      rateLimitPerSecond: 3,
      description: "Old",
    });
    actAsAdminOf(organization);
    const state = await updateWebhookEndpoint(
      null,
      form({
        endpoint_id: endpoint.id,
        url: "https://hooks.example.com/new",
        description: "",
        event_types_mode: "all",
        rate_limit_per_second: "",
      }),
    );
    expect(state).toEqual({ ok: true, endpointId: endpoint.id });
    expect(await getEndpoint(operatorScope, endpoint.id)).toMatchObject({
      url: "https://hooks.example.com/new",
      description: null,
      eventTypes: null,
      rateLimitPerSecond: null,
      organizationId: organization.id,
    });
    const invalid = await updateWebhookEndpoint(
      null,
      form({ endpoint_id: endpoint.id, url: "http://", event_types_mode: "all" }),
    );
    expect(fieldErrorsOf(invalid)?.url).toBeTruthy();
  });
});

describe("row actions", () => {
  it("reveal, rotate (old secret kept 24 h), test, disable and enable, delete", async () => {
    const organization = await createTestOrganization();
    const { endpoint, secret } = await createTestEndpoint(organization.id);
    actAsAdminOf(organization);

    expect(await revealWebhookSecret({ endpoint_id: endpoint.id })).toEqual({
      ok: true,
      secret,
      previousSecretExpiresAt: null,
    });
    const rotated = await rotateWebhookSecret({ endpoint_id: endpoint.id });
    if (!rotated.ok) throw new Error(rotated.error);
    expect(rotated.secret).not.toBe(secret);
    const graceHours =
      (new Date(rotated.previousSecretExpiresAt ?? 0).getTime() - Date.now()) / 3600_000;
    expect(graceHours).toBeGreaterThan(23.9);
    expect(graceHours).toBeLessThanOrEqual(24);

    const test = await sendWebhookTestEvent({ endpoint_id: endpoint.id });
    if (!test.ok) throw new Error(test.error);
    const [delivery] = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, test.deliveryId));
    expect(delivery).toMatchObject({ endpointId: endpoint.id, eventType: "webhook.test" });

    expect(await setWebhookEndpointEnabled({ endpoint_id: endpoint.id, enabled: false })).toEqual({
      ok: true,
    });
    expect((await getEndpoint(operatorScope, endpoint.id)).enabled).toBe(false);
    expect(await sendWebhookTestEvent({ endpoint_id: endpoint.id })).toEqual({
      ok: false,
      error: "The endpoint is disabled; enable it first",
    });
    expect(await setWebhookEndpointEnabled({ endpoint_id: endpoint.id, enabled: true })).toEqual({
      ok: true,
    });
    expect((await getEndpoint(operatorScope, endpoint.id)).enabled).toBe(true);

    expect(await deleteWebhookEndpoint({ endpoint_id: endpoint.id })).toEqual({ ok: true });
    expect(await revealWebhookSecret({ endpoint_id: endpoint.id })).toEqual(notFound);
  });

  it("an organization's admin cannot touch another organization's endpoint: it is not found", async () => {
    const mine = await createTestOrganization();
    const theirs = await createTestOrganization();
    const { endpoint, secret } = await createTestEndpoint(theirs.id, {
      description: "Theirs",
    });
    const before = await getEndpoint(operatorScope, endpoint.id);
    actAsAdminOf(mine);

    expect(
      await updateWebhookEndpoint(
        null,
        form({
          endpoint_id: endpoint.id,
          url: "https://attacker.example.com/steal",
          event_types_mode: "all",
        }),
      ),
    ).toEqual(notFound);
    expect(await revealWebhookSecret({ endpoint_id: endpoint.id })).toEqual(notFound);
    expect(await rotateWebhookSecret({ endpoint_id: endpoint.id })).toEqual(notFound);
    expect(await sendWebhookTestEvent({ endpoint_id: endpoint.id })).toEqual(notFound);
    expect(await setWebhookEndpointEnabled({ endpoint_id: endpoint.id, enabled: false })).toEqual(
      notFound,
    );
    expect(await deleteWebhookEndpoint({ endpoint_id: endpoint.id })).toEqual(notFound);

    // Nothing changed, nothing was sent.
    const after = await getEndpoint(operatorScope, endpoint.id);
    expect(after).toEqual(before);
    expect(after.secret).toBe(secret);
    expect(
      await db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.endpointId, endpoint.id)),
    ).toEqual([]);
    // Nor can the admin reach an operator endpoint.
    const operatorEndpoint = await createTestEndpoint(null, { eventTypes: ["webhook.test"] });
    expect(await revealWebhookSecret({ endpoint_id: operatorEndpoint.endpoint.id })).toEqual(
      notFound,
    );
    actAsOperator();
    expect(await deleteWebhookEndpoint({ endpoint_id: operatorEndpoint.endpoint.id })).toEqual({
      ok: true,
    });
    // The operator reaches every organization's endpoint.
    expect((await revealWebhookSecret({ endpoint_id: endpoint.id })).ok).toBe(true);
  });

  it("refuses ids that are not ids, and signed-out callers", async () => {
    const organization = await createTestOrganization();
    actAsAdminOf(organization);
    expect(await deleteWebhookEndpoint({ endpoint_id: "" })).toEqual(notFound);
    expect(await deleteWebhookEndpoint({ endpoint_id: 42 as unknown as string })).toEqual(notFound);
    expect(await updateWebhookEndpoint(null, form({ url: "https://x.example" }))).toEqual(notFound);
    signedIn.viewer = undefined;
    await expect(revealWebhookSecret({ endpoint_id: "ep_x" })).rejects.toThrow(/NEXT_REDIRECT/);
  });
});
