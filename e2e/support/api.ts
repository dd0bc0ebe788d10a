import { randomBytes } from "node:crypto";
import { E2E_API_KEY, E2E_BASE_URL } from "./constants";

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

export function uniqueName(): string {
  return randomBytes(5).toString("hex");
}

export type TestTenant = {
  organizationId: string;
  domain: string;
};

export async function createTenant(): Promise<TestTenant> {
  const domain = `${uniqueName()}.e2e.test`;
  const organization = await api<{ id: string }>("POST", "/organizations", {
    name: `E2E ${domain}`,
    domains: [domain],
  });
  return { organizationId: organization.id, domain };
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
  for (let attempt = 0; attempt < 20; attempt++) {
    const outbox = await api<{ data: { text: string }[] }>(
      "GET",
      `/outbox?to=${encodeURIComponent(email)}`,
    );
    const code = outbox.data[0]?.text.match(/\b(\d{6})\b/)?.[1];
    if (code) return code;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`No sign-in code was mailed to ${email}`);
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
