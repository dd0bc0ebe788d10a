import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as organizationsRoute from "@/app/api/v1/organizations/route";
import { apiKeys } from "@/db/schema";
import { authenticateApiKey, createApiKey, revokeApiKey } from "@/lib/api-keys";
import { db } from "@/lib/db";
import { call, operatorKey } from "./support";

describe("management API authentication", () => {
  it("answers 401 with a Bearer challenge when no key is sent", async () => {
    const response = await call(organizationsRoute.GET, { path: "/api/v1/organizations" });
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="gatehouse"');
    expect(response.body).toMatchObject({ status: 401, title: "Unauthorized" });
    expect(response.body.type).toEqual(expect.any(String));
  });

  it("answers 401 invalid_token for an unknown key or another scheme", async () => {
    for (const authorization of ["Bearer gh_sk_not-a-real-key", "Basic dXNlcjpwYXNz", "Bearer"]) {
      const response = await call(organizationsRoute.GET, {
        path: "/api/v1/organizations",
        headers: { authorization },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
  });

  it("refuses a revoked key and accepts a live one", async () => {
    const { apiKey, key } = await createApiKey({ name: "soon revoked" });
    expect(key).toMatch(/^gh_sk_[A-Za-z0-9_-]{40,}$/);
    expect(apiKey.prefix).toBe(key.slice(0, 10));
    const before = await call(organizationsRoute.GET, { path: "/api/v1/organizations", key });
    expect(before.status).toBe(200);
    await revokeApiKey(apiKey.id);
    const after = await call(organizationsRoute.GET, { path: "/api/v1/organizations", key });
    expect(after.status).toBe(401);
  });

  it("records when a key was last used, writing at most once a minute", async () => {
    const { apiKey, key } = await createApiKey({ name: "usage" });
    const lastUsed = async () =>
      (await db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id)))[0]?.lastUsedAt;
    expect(await lastUsed()).toBeNull();

    const first = new Date("2026-11-26T12:00:00.000Z");
    expect((await authenticateApiKey(key, first))?.id).toBe(apiKey.id);
    expect(await lastUsed()).toEqual(first);

    // Within the minute the key still authenticates, and the time stays that of the first use.
    expect((await authenticateApiKey(key, new Date("2026-11-26T12:00:59.000Z")))?.id).toBe(
      apiKey.id,
    );
    expect(await lastUsed()).toEqual(first);

    const later = new Date("2026-11-26T12:01:01.000Z");
    await authenticateApiKey(key, later);
    expect(await lastUsed()).toEqual(later);

    await revokeApiKey(apiKey.id);
    expect(await authenticateApiKey(key, new Date("2026-11-26T12:05:00.000Z"))).toBeUndefined();
    expect(await lastUsed()).toEqual(later);
  });

  it("answers 400 for a body that is not JSON or not sent as JSON", async () => {
    const key = await operatorKey();
    const notJson = await call(organizationsRoute.POST, {
      path: "/api/v1/organizations",
      key,
      body: "{ name: ",
    });
    expect(notJson.status).toBe(400);
    expect(notJson.headers.get("content-type")).toBe("application/problem+json");
    const wrongType = await call(organizationsRoute.POST, {
      path: "/api/v1/organizations",
      key,
      body: JSON.stringify({ name: "Plain text" }),
      headers: { "content-type": "text/plain" },
    });
    expect(wrongType.status).toBe(400);
    const empty = await call(organizationsRoute.POST, {
      path: "/api/v1/organizations",
      key,
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect(empty.status).toBe(400);
  });

  it("answers 422 naming the body when the JSON is not an object", async () => {
    const key = await operatorKey();
    const response = await call(organizationsRoute.POST, {
      path: "/api/v1/organizations",
      key,
      body: [1, 2],
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([{ field: "body", message: expect.any(String) }]);
  });
});
