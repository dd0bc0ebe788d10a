import { expect } from "@playwright/test";
import { uniqueSuffix } from "../../tests/support/test-data";
import { E2E_API_KEY, E2E_BASE_URL } from "./constants";

/**
 * The test data of the browser tests, made as a customer's back-end would make it: through the
 * management API of the running server, from the same defaults as the vitest factories
 * (tests/support/test-data.ts).
 */

/** The management API of one server, with its bootstrap key (the tests' unless given). */
export function managementApi(baseUrl: string, apiKey = E2E_API_KEY) {
  return async function api<T = Record<string, unknown>>(
    method: string,
    pathname: string,
    body?: unknown,
  ): Promise<T> {
    const response = await fetch(`${baseUrl}/api/v1${pathname}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${pathname} → ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };
}

/** The management API as a customer's back-end would call it, with the bootstrap key. */
export const api = managementApi(E2E_BASE_URL);

export const uniqueName = uniqueSuffix;

/** An organization with an email domain of its own. */
export type TestTenant = {
  organizationId: string;
  name: string;
  domain: string;
};

export async function createTenant(): Promise<TestTenant> {
  const domain = `${uniqueName()}.e2e.test`;
  const name = `E2E ${domain}`;
  const organization = await api<{ id: string }>("POST", "/organizations", {
    name,
    domains: [domain],
  });
  return { organizationId: organization.id, name, domain };
}

export async function createUser(
  tenant: TestTenant,
  options: { password?: string; local?: string } = {},
): Promise<{ id: string; email: string; password?: string }> {
  const email = `${options.local ?? `user-${uniqueName()}`}@${tenant.domain}`;
  const user = await api<{ id: string }>("POST", "/users", {
    email,
    name: "E2E User",
    password: options.password,
    organization_id: tenant.organizationId,
    role: "member",
  });
  return { id: user.id, email, password: options.password };
}

export type RegisteredClient = {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
};

export async function createClient(
  type: "confidential" | "public",
  redirectUri: string,
): Promise<RegisteredClient> {
  return api<RegisteredClient>("POST", "/clients", {
    name: `E2E ${type} ${uniqueName()}`,
    type,
    redirect_uris: [redirectUri],
  });
}

/** The newest sign-in code mailed to `email` (dev outbox: no SMTP server in tests). */
export async function latestEmailCode(email: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(
      async () => {
        const outbox = await api<{ data: { text: string }[] }>(
          "GET",
          `/outbox?to=${encodeURIComponent(email)}`,
        );
        code = outbox.data[0]?.text.match(/\b(\d{6})\b/)?.[1];
        return code;
      },
      { message: `a sign-in code mailed to ${email}`, timeout: 5_000 },
    )
    .toBeDefined();
  return code as string;
}

export type AuthLogEntry = {
  id: string;
  status: string;
  email: string | null;
  user_id: string | null;
  auth_method: string | null;
  error_code: string | null;
  events?: { type: string; status: string | null }[];
};

export async function authLogsFor(email: string): Promise<AuthLogEntry[]> {
  const page = await api<{ data: AuthLogEntry[] }>(
    "GET",
    `/auth-logs?email=${encodeURIComponent(email)}&limit=100`,
  );
  return page.data;
}

export async function authLog(id: string): Promise<AuthLogEntry> {
  return api<AuthLogEntry>("GET", `/auth-logs/${id}`);
}
