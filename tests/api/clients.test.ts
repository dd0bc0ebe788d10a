import { describe, expect, it } from "vitest";
import * as clientRoute from "@/app/api/v1/clients/[client_id]/route";
import * as clientsRoute from "@/app/api/v1/clients/route";
import { clientSecretMatches, findClientByClientId } from "@/lib/clients";
import { createTestClient, createTestOrganization } from "@/tests/support/factories";
import { call, fields, operatorKey, organizationKey } from "./support";

describe("/api/v1/clients", () => {
  it("registers a confidential client and shows its secret exactly once", async () => {
    const key = await operatorKey();
    const organization = await createTestOrganization();
    const created = await call(clientsRoute.POST, {
      path: "/api/v1/clients",
      key,
      body: {
        name: "Billing",
        type: "confidential",
        redirect_uris: ["https://billing.example.com/callback", "http://localhost:4000/callback"],
        post_logout_redirect_uris: ["https://billing.example.com/"],
        organization_id: organization.id,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      client_id: expect.stringMatching(/^ghc_/),
      client_secret: expect.stringMatching(/^ghs_/),
      name: "Billing",
      type: "confidential",
      redirect_uris: ["https://billing.example.com/callback", "http://localhost:4000/callback"],
      post_logout_redirect_uris: ["https://billing.example.com/"],
      organization_id: organization.id,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const stored = await findClientByClientId(created.body.client_id);
    expect(stored && clientSecretMatches(stored, created.body.client_secret)).toBe(true);

    const read = await call(clientRoute.GET, {
      path: `/api/v1/clients/${created.body.client_id}`,
      key,
      params: { client_id: created.body.client_id },
    });
    expect(read.status).toBe(200);
    const { client_secret: _secret, ...withoutSecret } = created.body;
    expect(read.body).toEqual(withoutSecret);
  });

  it("pages an organization's clients newest first, without duplicates or gaps", async () => {
    const organization = await createTestOrganization();
    const key = await organizationKey(organization.id);
    const made: string[] = [];
    for (let n = 0; n < 5; n++) {
      made.push((await createTestClient({ organizationId: organization.id })).client.clientId);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const path: string = `/api/v1/clients?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await call(clientsRoute.GET, { path, key });
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((client: { client_id: string }) => client.client_id));
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
    expect(pages).toBe(3);
  });

  it("registers a public client without a secret", async () => {
    const key = await operatorKey();
    const created = await call(clientsRoute.POST, {
      path: "/api/v1/clients",
      key,
      body: { name: "SPA", type: "public", redirect_uris: ["http://127.0.0.1:5173/callback"] },
    });
    expect(created.status).toBe(201);
    expect(created.body.client_secret).toBeUndefined();
    expect(created.body.organization_id).toBeNull();
  });

  it("answers 422 for redirect URIs that are relative, plain http, or carry a fragment", async () => {
    const key = await operatorKey();
    const response = await call(clientsRoute.POST, {
      path: "/api/v1/clients",
      key,
      body: {
        name: "Bad",
        type: "secret",
        redirect_uris: [
          "/callback",
          "http://app.example.com/callback",
          "https://app.example.com/callback#done",
          "https://ok.example.com/callback",
          "javascript:alert(1)",
        ],
        post_logout_redirect_uris: ["ftp://files.example.com"],
      },
    });
    expect(response.status).toBe(422);
    expect(fields(response)).toEqual([
      "post_logout_redirect_uris[0]",
      "redirect_uris[0]",
      "redirect_uris[1]",
      "redirect_uris[2]",
      "redirect_uris[4]",
      "type",
    ]);
    const none = await call(clientsRoute.POST, {
      path: "/api/v1/clients",
      key,
      body: { name: "None", type: "public", redirect_uris: [] },
    });
    expect(fields(none)).toEqual(["redirect_uris"]);
  });

  it("answers 422 for an unknown organization and 404 for an unknown client_id", async () => {
    const key = await operatorKey();
    const unknown = await call(clientsRoute.POST, {
      path: "/api/v1/clients",
      key,
      body: {
        name: "Orphan",
        type: "public",
        redirect_uris: ["https://orphan.example.com/cb"],
        organization_id: "org_missing",
      },
    });
    expect(fields(unknown)).toEqual(["organization_id"]);
    const missing = await call(clientRoute.GET, {
      path: "/api/v1/clients/ghc_missing",
      key,
      params: { client_id: "ghc_missing" },
    });
    expect(missing.status).toBe(404);
  });

  it("keeps an organization-scoped key to its organization's clients", async () => {
    const own = await createTestOrganization();
    const other = await createTestOrganization();
    const ownClient = (await createTestClient({ organizationId: own.id })).client;
    const otherClient = (await createTestClient({ organizationId: other.id })).client;
    const key = await organizationKey(own.id);

    const list = await call(clientsRoute.GET, { path: "/api/v1/clients", key });
    expect(list.body.data.map((client: { client_id: string }) => client.client_id)).toEqual([
      ownClient.clientId,
    ]);
    const hidden = await call(clientRoute.GET, {
      path: `/api/v1/clients/${otherClient.clientId}`,
      key,
      params: { client_id: otherClient.clientId },
    });
    expect(hidden.status).toBe(404);
    const created = await call(clientsRoute.POST, {
      path: "/api/v1/clients",
      key,
      body: { name: "Own app", type: "public", redirect_uris: ["https://own.example.com/cb"] },
    });
    expect(created.body.organization_id).toBe(own.id);
  });
});
