import { describe, expect, it } from "vitest";
import * as interceptorRoute from "@/app/api/v1/interceptors/[id]/route";
import * as interceptorsRoute from "@/app/api/v1/interceptors/route";
import { createTestOrganization } from "@/tests/support/factories";
import { call, fields, operatorKey, organizationKey } from "./support";

// Tests allow private targets (WEBHOOK_ALLOW_PRIVATE_TARGETS); nothing is called here.
const hook = "http://127.0.0.1:9/pre-sign-in";

describe("/api/v1/interceptors", () => {
  it("creates, lists, updates and deletes an interceptor", async () => {
    const key = await operatorKey();
    const organization = await createTestOrganization();
    const created = await call(interceptorsRoute.POST, {
      path: "/api/v1/interceptors",
      key,
      body: { name: "Risk check", url: hook, organization_id: organization.id, timeout_ms: 2000 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^icp_/),
      name: "Risk check",
      organization_id: organization.id,
      url: hook,
      timeout_ms: 2000,
      fallback: "fail_closed",
      enabled: true,
      secret: expect.stringMatching(/^whsec_/),
    });
    const id = created.body.id as string;

    const list = await call(interceptorsRoute.GET, { path: "/api/v1/interceptors", key });
    const listed = list.body.data.find((interceptor: { id: string }) => interceptor.id === id);
    expect(listed).toMatchObject({ name: "Risk check" });
    expect(listed.secret).toBeUndefined();

    const updated = await call(interceptorRoute.PATCH, {
      path: `/api/v1/interceptors/${id}`,
      key,
      method: "PATCH",
      body: { enabled: false, fallback: "fail_open" },
      params: { id },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      enabled: false,
      fallback: "fail_open",
      name: "Risk check",
    });

    const deleted = await call(interceptorRoute.DELETE, {
      path: `/api/v1/interceptors/${id}`,
      key,
      method: "DELETE",
      params: { id },
    });
    expect(deleted.status).toBe(204);
    const gone = await call(interceptorRoute.GET, {
      path: `/api/v1/interceptors/${id}`,
      key,
      params: { id },
    });
    expect(gone.status).toBe(404);
  });

  it("answers 422 naming invalid fields and 404 for an unknown id", async () => {
    const key = await operatorKey();
    const invalid = await call(interceptorsRoute.POST, {
      path: "/api/v1/interceptors",
      key,
      body: { name: "", url: "not a url", timeout_ms: 5 },
    });
    expect(invalid.status).toBe(422);
    expect(fields(invalid)).toEqual(["name", "timeout_ms", "url"]);
    const missing = await call(interceptorRoute.PATCH, {
      path: "/api/v1/interceptors/icp_missing",
      key,
      method: "PATCH",
      body: { enabled: false },
      params: { id: "icp_missing" },
    });
    expect(missing.status).toBe(404);
  });

  it("keeps an organization-scoped key to its organization's interceptors", async () => {
    const own = await createTestOrganization();
    const other = await createTestOrganization();
    const operator = await operatorKey();
    const theirs = await call(interceptorsRoute.POST, {
      path: "/api/v1/interceptors",
      key: operator,
      body: { name: "Theirs", url: hook, organization_id: other.id },
    });
    const key = await organizationKey(own.id);

    const created = await call(interceptorsRoute.POST, {
      path: "/api/v1/interceptors",
      key,
      body: { name: "Ours", url: hook },
    });
    expect(created.body.organization_id).toBe(own.id);
    const global = await call(interceptorsRoute.POST, {
      path: "/api/v1/interceptors",
      key,
      body: { name: "Everyone", url: hook, organization_id: null },
    });
    expect(fields(global)).toEqual(["organization_id"]);

    const list = await call(interceptorsRoute.GET, { path: "/api/v1/interceptors", key });
    expect(list.body.data.map((interceptor: { id: string }) => interceptor.id)).toEqual([
      created.body.id,
    ]);
    for (const [handler, method] of [
      [interceptorRoute.PATCH, "PATCH"],
      [interceptorRoute.DELETE, "DELETE"],
    ] as const) {
      const response = await call(handler, {
        path: `/api/v1/interceptors/${theirs.body.id}`,
        key,
        method,
        body: method === "PATCH" ? { enabled: false } : undefined,
        params: { id: theirs.body.id },
      });
      expect(response.status).toBe(404);
    }
  });
});
