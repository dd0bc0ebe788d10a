import "server-only";
import { z } from "zod";
import type { ApiKey } from "@/db/schema";
import { authenticateApiKey, scopeOfApiKey } from "@/lib/api-keys";
import { NotFoundError } from "@/lib/errors";
import { plainIssueMessage } from "@/lib/issue-messages";
import type { Scope } from "@/lib/organizations/scope";
import { hasNul, NUL_MESSAGE, pathsWithNul } from "@/lib/text";
import {
  MalformedRequestError,
  problemFromError,
  UnauthorizedError,
  validationErrorFromZod,
} from "./problems";

type RouteParams = Record<string, string>;

export type ApiCall<Params extends RouteParams> = {
  request: Request;
  /** Whose data this key may touch; pass it to every data function. */
  scope: Scope;
  apiKey: ApiKey;
  params: Params;
};

/**
 * Wraps a management API route handler: authenticates the Bearer API key, resolves the route
 * params, and maps whatever the handler throws to a problem response. The handler itself stays
 * parse → call lib → respond.
 */
export function withApiKey<Params extends RouteParams = Record<string, never>>(
  handler: (call: ApiCall<Params>) => Promise<Response>,
): (request: Request, context: { params: Promise<Params> }) => Promise<Response> {
  return async (request, context) => {
    try {
      const apiKey = await authenticate(request);
      // Next.js resolves the params of a route without dynamic segments to undefined.
      const params = (await context.params) ?? ({} as Params);
      // No stored id holds a NUL, and the database would refuse to even look one up.
      if (Object.values(params).some((value) => typeof value === "string" && hasNul(value)))
        throw new NotFoundError("The resource");
      return await handler({ request, scope: scopeOfApiKey(apiKey), apiKey, params });
    } catch (error) {
      return problemFromError(error);
    }
  };
}

/** Parses a JSON body with `schema`: 400 when it is not JSON, 422 naming each bad field. */
export async function readJson<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.output<Schema>> {
  const mediaType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json" && !mediaType?.endsWith("+json")) {
    throw new MalformedRequestError("Send the body as JSON with Content-Type: application/json.");
  }
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    throw new MalformedRequestError("The request body is not valid JSON.");
  }
  return parseWith(schema, body);
}

/**
 * Parses the query string with `schema`. A parameter given once is a string, one given several
 * times (`?status=a&status=b`) an array, so list filters can accept both.
 */
export function readQuery<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): z.output<Schema> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URL(request.url).searchParams) {
    const previous = query[name];
    query[name] =
      previous === undefined
        ? value
        : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return parseWith(schema, query);
}

/**
 * Parses `input` with `schema`; 422 naming each bad field. Every string is first checked for
 * NUL, which no field may hold (lib/text.ts), so no schema has to remember it.
 */
export function parseWith<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  // Checked first and on its own rather than as `withoutNul.pipe(schema)`, which would build
  // a new schema on every request; a pipe stops at its first stage's issues just the same.
  const clean = withoutNul.safeParse(input);
  if (!clean.success) throw validationErrorFromZod(clean.error);
  const parsed = schema.safeParse(input, { error: plainIssueMessage });
  if (!parsed.success) throw validationErrorFromZod(parsed.error);
  return parsed.data;
}

const withoutNul = z.unknown().superRefine((value, context) => {
  for (const path of pathsWithNul(value)) {
    context.addIssue({ code: "custom", path, message: NUL_MESSAGE });
  }
});

/** A JSON response; API responses may carry secrets or tenant data, so nothing caches them. */
export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}

async function authenticate(request: Request): Promise<ApiKey> {
  const header = request.headers.get("authorization");
  if (!header)
    throw new UnauthorizedError("Send an API key as Authorization: Bearer <key>.", false);
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  const apiKey = match?.[1] ? await authenticateApiKey(match[1]) : undefined;
  if (!apiKey) throw new UnauthorizedError("The API key is invalid or has been revoked.", true);
  return apiKey;
}
