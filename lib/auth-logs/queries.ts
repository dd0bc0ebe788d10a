import "server-only";
import { and, asc, eq, gte, inArray, type SQL, sql } from "drizzle-orm";
import {
  type AuthRequest,
  type AuthRequestEvent,
  authRequestEvents,
  authRequests,
} from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { Scope } from "@/lib/organizations/scope";
import {
  afterCursor,
  keysetTime,
  newestFirst,
  type Page,
  type PageRequest,
  toPage,
} from "@/lib/pagination";
import { atOrBefore } from "@/lib/time-bounds";
import type { AuthLogFilters } from "./filters";

/**
 * Read side of the auth log, for the management API and the Auth Logs dashboard. Writes go
 * through the state machine in ./journey.ts.
 */
const entryColumns = {
  id: authRequests.id,
  status: authRequests.status,
  email: authRequests.email,
  userId: authRequests.userId,
  authMethod: authRequests.authMethod,
  connection: authRequests.connection,
  organizationId: authRequests.organizationId,
  clientId: authRequests.clientId,
  redirectUri: authRequests.redirectUri,
  scope: authRequests.scope,
  retryOf: authRequests.retryOf,
  ip: authRequests.ip,
  userAgent: authRequests.userAgent,
  errorCode: authRequests.errorCode,
  errorDescription: authRequests.errorDescription,
  createdAt: authRequests.createdAt,
  updatedAt: authRequests.updatedAt,
  completedAt: authRequests.completedAt,
};

/** One auth log entry: the attempt without its protocol internals (state, nonce, PKCE). */
export type AuthLogEntry = Pick<AuthRequest, keyof typeof entryColumns>;

export type AuthLogEvent = Pick<AuthRequestEvent, "type" | "status" | "detail" | "createdAt">;
export type AuthLogWithEvents = AuthLogEntry & { events: AuthLogEvent[] };

/** Entries matching `filters` within `scope`, newest first, one keyset page at a time. */
export async function listAuthLogs(
  scope: Scope,
  filters: AuthLogFilters,
  page: PageRequest,
  tx: Executor = db,
): Promise<Page<AuthLogEntry>> {
  const rows = await tx
    .select({ ...entryColumns, cursorTime: keysetTime(authRequests.createdAt) })
    .from(authRequests)
    .where(
      and(
        authLogConditions(scope, filters),
        afterCursor(authRequests.createdAt, authRequests.id, page.cursor),
      ),
    )
    .orderBy(...newestFirst(authRequests.createdAt, authRequests.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, ({ cursorTime: _, ...entry }) => entry);
}

/** One entry with its journey, oldest event first; NotFoundError when missing or outside `scope`. */
export async function getAuthLog(
  scope: Scope,
  id: string,
  tx: Executor = db,
): Promise<AuthLogWithEvents> {
  const [entry] = await tx
    .select(entryColumns)
    .from(authRequests)
    .where(and(eq(authRequests.id, id), inScope(scope)));
  if (!entry) throw new NotFoundError("Auth log entry");
  const events = await tx
    .select({
      type: authRequestEvents.type,
      status: authRequestEvents.status,
      detail: authRequestEvents.detail,
      createdAt: authRequestEvents.createdAt,
    })
    .from(authRequestEvents)
    .where(eq(authRequestEvents.authRequestId, id))
    .orderBy(asc(authRequestEvents.seq));
  return { ...entry, events };
}

/**
 * The WHERE clause of `listAuthLogs` without its cursor: the dashboard's counts and chart
 * (./stats.ts) use it so they can never disagree with the list about what matches.
 */
export function authLogConditions(scope: Scope, filters: AuthLogFilters): SQL | undefined {
  return and(inScope(scope), ...filterConditions(filters));
}

function inScope(scope: Scope): SQL | undefined {
  return scope.kind === "organization"
    ? eq(authRequests.organizationId, scope.organizationId)
    : undefined;
}

function filterConditions(filters: AuthLogFilters): (SQL | undefined)[] {
  return [
    filters.statuses?.length ? inArray(authRequests.status, filters.statuses) : undefined,
    filters.email ? emailCondition(filters.email) : undefined,
    filters.organizationId ? eq(authRequests.organizationId, filters.organizationId) : undefined,
    filters.clientId ? eq(authRequests.clientId, filters.clientId) : undefined,
    filters.from ? gte(authRequests.createdAt, filters.from) : undefined,
    filters.to ? atOrBefore(authRequests.createdAt, filters.to) : undefined,
  ];
}

// Both forms compare lower(email), the expression auth_requests_email_created_idx indexes.
function emailCondition(email: string): SQL {
  const wanted = email.trim().toLowerCase();
  if (!wanted.endsWith("*")) return sql`lower(${authRequests.email}) = ${wanted}`;
  const prefix = wanted.slice(0, -1).replace(/[\\%_]/g, (char) => `\\${char}`);
  return sql`lower(${authRequests.email}) like ${`${prefix}%`}`;
}
