import "server-only";
import type { z } from "zod";
import {
  constraintViolation,
  FOREIGN_KEY_VIOLATION,
  UNIQUE_VIOLATION,
} from "@/lib/database-errors";
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from "@/lib/errors";

/**
 * RFC 9457 problem details for the management API. Domain code throws typed errors; this is the
 * one place that turns them (and database constraint races) into HTTP statuses and bodies.
 */
export type FieldError = { field: string; message: string };

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
};

/** 400: the request body is not JSON, or was not sent as JSON. */
export class MalformedRequestError extends DomainError {
  constructor(message: string) {
    super("malformed_request", message);
  }
}

/** 401: no API key, or one that is unknown or revoked. */
export class UnauthorizedError extends DomainError {
  constructor(
    message: string,
    readonly presented: boolean,
  ) {
    super("unauthorized", message);
  }
}

// Problem types are stable identifiers clients may switch on (RFC 9457 §3.1.1); they are not
// documentation links, so a URN rather than a URL that would have to keep resolving.
const TYPES = {
  400: ["urn:gatehouse:problem:malformed-request", "Malformed request"],
  401: ["urn:gatehouse:problem:unauthorized", "Unauthorized"],
  403: ["urn:gatehouse:problem:forbidden", "Forbidden"],
  404: ["urn:gatehouse:problem:not-found", "Not found"],
  409: ["urn:gatehouse:problem:conflict", "Conflict"],
  422: ["urn:gatehouse:problem:validation-failed", "Validation failed"],
  500: ["urn:gatehouse:problem:internal-error", "Internal server error"],
} as const;

type ProblemStatus = keyof typeof TYPES;

export function problem(
  status: ProblemStatus,
  detail?: string,
  errors?: FieldError[],
  headers: HeadersInit = {},
): Response {
  const [type, title] = TYPES[status];
  const body: Problem = { type, title, status, ...(detail ? { detail } : {}) };
  if (errors && errors.length > 0) body.errors = errors;
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      ...headers,
    },
  });
}

/** Maps anything a handler threw to a problem response; only genuine bugs become a 500. */
export function problemFromError(error: unknown): Response {
  if (error instanceof UnauthorizedError) {
    // RFC 6750 §3: no error code when no credentials were sent, invalid_token otherwise.
    const challenge = error.presented
      ? `Bearer realm="gatehouse", error="invalid_token", error_description="${error.message}"`
      : `Bearer realm="gatehouse"`;
    return problem(401, error.message, undefined, { "www-authenticate": challenge });
  }
  if (error instanceof MalformedRequestError) return problem(400, error.message);
  if (error instanceof ValidationError) {
    return problem(422, "The request has invalid fields.", fieldErrors(error.fields));
  }
  if (error instanceof NotFoundError) return problem(404, error.message);
  if (error instanceof ForbiddenError) return problem(403, error.message);
  if (error instanceof ConflictError) {
    const errors = error.field ? [{ field: error.field, message: error.message }] : undefined;
    return problem(409, error.message, errors);
  }
  const violation = constraintViolation(error);
  if (violation?.code === UNIQUE_VIOLATION) {
    // Two requests raced past the application's own duplicate check; the index decided.
    const field = UNIQUE_FIELDS[violation.constraint ?? ""];
    const message = field ? `This ${field} is already taken` : "This resource already exists";
    return problem(409, message, field ? [{ field, message }] : undefined);
  }
  if (violation?.code === FOREIGN_KEY_VIOLATION) {
    // The referenced row disappeared between our existence check and the insert.
    const field = violation.constraint?.includes("organization_id") ? "organization_id" : "body";
    return problem(422, "A referenced resource does not exist.", [
      { field, message: "does not exist" },
    ]);
  }
  console.error("Unexpected error in the management API", error);
  return problem(500, "Something went wrong on our side; the error has been logged.");
}

/** zod issues as one message per field, the field written as the client spelled it. */
export function validationErrorFromZod(error: z.ZodError): ValidationError {
  // No prototype: a client's field may be called "__proto__", and its message must not vanish.
  const fields: Record<string, string> = Object.create(null);
  const add = (field: string, message: string) => {
    fields[field] = fields[field] ? `${fields[field]}; ${message}` : message;
  };
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add(fieldName([...issue.path, key]), "is not a known field");
      continue;
    }
    add(fieldName(issue.path), issue.message);
  }
  return new ValidationError(fields);
}

function fieldErrors(fields: Record<string, string>): FieldError[] {
  return Object.entries(fields).map(([field, message]) => ({ field, message }));
}

/** `["redirect_uris", 0]` → `redirect_uris[0]`; the whole body when the path is empty. */
function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "body";
  return path
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}

const UNIQUE_FIELDS: Record<string, string> = {
  users_email_key: "email",
  organization_domains_domain_key: "domains",
  organizations_slug_key: "slug",
  oauth_clients_client_id_key: "client_id",
};
