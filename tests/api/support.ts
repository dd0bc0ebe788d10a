import { createTestApiKey } from "@/tests/support/factories";

/** Calls route handlers in-process, the way Next.js would, with an API key. */
type Handler<Params> = (
  request: Request,
  context: { params: Promise<Params> },
) => Promise<Response>;

// biome-ignore lint/suspicious/noExplicitAny: tests assert on JSON bodies rather than type them.
export type ApiResponse = { status: number; headers: Headers; body: any };

export async function operatorKey(): Promise<string> {
  return (await createTestApiKey()).key;
}

export async function organizationKey(organizationId: string): Promise<string> {
  return (await createTestApiKey(organizationId)).key;
}

export async function call<Params = Record<string, never>>(
  handler: Handler<Params>,
  options: {
    path: string;
    key?: string | null;
    method?: string;
    body?: unknown;
    params?: Params;
    headers?: Record<string, string>;
  },
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const request = new Request(`http://localhost:3000${options.path}`, {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
  });
  // As Next.js does: a route without dynamic segments gets params that resolve to undefined.
  const response = await handler(request, {
    params: Promise.resolve(options.params as Params),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : null,
  };
}

/** The field names a problem response complains about. */
export function fields(response: ApiResponse): string[] {
  return (response.body?.errors ?? []).map((error: { field: string }) => error.field).sort();
}
