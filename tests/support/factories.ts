import { insertClient } from "@/lib/clients";
import { db } from "@/lib/db";
import { newSecret } from "@/lib/ids";
import { insertOrganization } from "@/lib/organizations";
import { insertUser } from "@/lib/users";

/** Scoped test data: every call makes new, uniquely named rows, so tests never share state. */
export function uniqueSuffix(): string {
  return newSecret(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x");
}

export async function createTestOrganization(
  overrides: { name?: string; domains?: string[] } = {},
) {
  const suffix = uniqueSuffix();
  return insertOrganization(db, {
    name: overrides.name ?? `Org ${suffix}`,
    domains: overrides.domains ?? [`${suffix}.example.com`],
  });
}

export async function createTestUser(
  overrides: {
    email?: string;
    password?: string | null;
    organizationId?: string;
    name?: string;
  } = {},
) {
  const password = overrides.password === undefined ? "correct-horse-battery" : overrides.password;
  const user = await insertUser(db, {
    email: overrides.email ?? `user-${uniqueSuffix()}@example.com`,
    name: overrides.name ?? "Test User",
    password,
    organizationId: overrides.organizationId,
    role: "member",
  });
  return { user, password };
}

export async function createTestClient(
  overrides: {
    type?: "confidential" | "public";
    redirectUris?: string[];
    organizationId?: string;
  } = {},
) {
  return insertClient(db, {
    name: `App ${uniqueSuffix()}`,
    type: overrides.type ?? "confidential",
    redirectUris: overrides.redirectUris ?? ["https://app.example.com/callback"],
    organizationId: overrides.organizationId,
  });
}
