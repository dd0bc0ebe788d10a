import { z } from "zod";
import { type AuthStatus, authStatuses } from "@/constants/auth-logs";
import { pageQueryShape } from "@/lib/pagination";
import { instantParam } from "@/lib/validation";

/**
 * Auth-log filters, defined once for the management API (`GET /api/v1/auth-logs`) and the Auth
 * Logs dashboard. Free of server-only imports so the dashboard's filter bar can use it too.
 */
export type AuthLogFilters = {
  statuses?: AuthStatus[];
  /** Case-insensitive; a trailing `*` matches by prefix (`ada*`). */
  email?: string;
  organizationId?: string;
  clientId?: string;
  /** Inclusive bounds on created_at. */
  from?: Date;
  to?: Date;
};

const identifier = z.string().trim().min(1, "must not be empty").max(200);

// `?status=success&status=failure` or `?status=success,failure`: the dashboard writes the latter.
const statusList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : [value])
      .flatMap((item) => item.split(","))
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.enum(authStatuses, { error: `must be one of ${authStatuses.join(", ")}` }))
      .max(authStatuses.length * 2),
  );

const emailPattern = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(320)
  .refine((email) => !email.slice(0, -1).includes("*"), "may only end with * (prefix match)")
  .refine((email) => email !== "*", "needs at least one character before *");

/** The filters as query parameters, snake_case like the rest of the API. */
export const authLogFilterQueryShape = {
  status: statusList.optional(),
  email: emailPattern.optional(),
  organization_id: identifier.optional(),
  client_id: identifier.optional(),
  from: instantParam.optional(),
  to: instantParam.optional(),
};

/** Filters plus `limit`/`cursor`, from a query string, into `{ filters, page }`. */
export const authLogListQuerySchema = z
  .strictObject({ ...authLogFilterQueryShape, ...pageQueryShape })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    path: ["to"],
    message: "must not be before from",
  })
  .transform((query) => ({
    filters: {
      statuses: query.status?.length ? [...new Set(query.status)] : undefined,
      email: query.email,
      organizationId: query.organization_id,
      clientId: query.client_id,
      from: query.from,
      to: query.to,
    } satisfies AuthLogFilters,
    page: { limit: query.limit, cursor: query.cursor },
  }));

export type AuthLogListQuery = z.output<typeof authLogListQuerySchema>;
