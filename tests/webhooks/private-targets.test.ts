import { describe, expect, it, vi } from "vitest";
import * as endpointRoute from "@/app/api/v1/webhooks/endpoints/[id]/route";
import * as endpointsRoute from "@/app/api/v1/webhooks/endpoints/route";
import { call, fields, organizationKey } from "@/tests/api/support";
import { createTestOrganization } from "@/tests/support/factories";

// As in production: WEBHOOK_ALLOW_PRIVATE_TARGETS is off (the other tests turn it on to reach
// receivers on 127.0.0.1).
vi.mock("@/lib/env", async (original) =>
  (await import("@/tests/support/settings")).withSettings(await original(), {
    WEBHOOK_ALLOW_PRIVATE_TARGETS: "false",
  }),
);

async function tenant() {
  const organization = await createTestOrganization();
  return { organization, key: await organizationKey(organization.id) };
}

async function createEndpointVia(key: string) {
  const response = await call(endpointsRoute.POST, {
    path: "/api/v1/webhooks/endpoints",
    key,
    body: { url: "https://hooks.example.com/in" },
  });
  expect(response.status).toBe(201);
  return response.body;
}

const at = (id: string) => ({ id });

describe("webhook endpoints in production's outbound policy", () => {
  it("refuses plain http and loopback, private, link-local and metadata addresses on save", async () => {
    const { key } = await tenant();
    for (const [url, message] of [
      ["http://hooks.example.com/in", /https/],
      ["https://127.0.0.1/in", /private, loopback or link-local/],
      ["https://localhost:8443/in", /private, loopback or link-local/],
      ["https://10.1.2.3/in", /private, loopback or link-local/],
      ["https://169.254.169.254/latest/meta-data", /private, loopback or link-local/],
      ["https://[::1]/in", /private, loopback or link-local/],
      ["https://[fe80::1]/in", /private, loopback or link-local/],
      ["https://user:pw@hooks.example.com/in", /user name or password/],
    ] as const) {
      const response = await call(endpointsRoute.POST, {
        path: "/api/v1/webhooks/endpoints",
        key,
        body: { url },
      });
      expect(response.status, url).toBe(422);
      expect(response.body.errors, url).toEqual([
        { field: "url", message: expect.stringMatching(message) },
      ]);
    }
    const endpoint = await createEndpointVia(key);
    const moved = await call(endpointRoute.PATCH, {
      path: `/api/v1/webhooks/endpoints/${endpoint.id}`,
      key,
      method: "PATCH",
      params: at(endpoint.id),
      body: { url: "https://192.168.0.10/in" },
    });
    expect(fields(moved)).toEqual(["url"]);
  });
});
