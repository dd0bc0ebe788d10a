import "server-only";
import { db, type Executor } from "@/db/client";
import type { AuthLogFilters } from "@/lib/auth-logs/filters";
import {
  type EntryNames,
  listOrganizationOptions,
  namesForEntries,
  type OrganizationOption,
} from "@/lib/auth-logs/names";
import { type AuthLogEntry, listAuthLogs } from "@/lib/auth-logs/queries";
import {
  type AuthLogStats,
  type FilterName,
  filtersExcludingEverything,
  getAuthLogStats,
} from "@/lib/auth-logs/stats";
import { ValidationError } from "@/lib/errors";
import type { Scope } from "@/lib/organizations/scope";
import type { Page, PageRequest } from "@/lib/pagination";

/** Everything the Auth Logs page shows, read within `scope`. */
export type AuthLogsView = {
  page: Page<AuthLogEntry>;
  /** The URL's cursor was not one of ours (edited by hand, say): the first page is shown. */
  cursorIgnored: boolean;
  stats: AuthLogStats;
  organizations: OrganizationOption[];
  names: EntryNames;
  /** When nothing matched: the filters that, removed alone, would show entries. */
  excludedBy: FilterName[];
};

export async function loadAuthLogsView(
  scope: Scope,
  filters: AuthLogFilters,
  pageRequest: PageRequest,
  now: Date = new Date(),
  tx: Executor = db,
): Promise<AuthLogsView> {
  const [{ page, cursorIgnored }, stats, organizations] = await Promise.all([
    listPage(scope, filters, pageRequest, tx),
    getAuthLogStats(scope, filters, now, tx),
    listOrganizationOptions(scope, tx),
  ]);
  const names = await namesForEntries(page.data, tx);
  const excludedBy =
    page.data.length === 0 && !pageRequest.cursor
      ? await filtersExcludingEverything(scope, filters, tx)
      : [];
  return { page, cursorIgnored, stats, organizations, names, excludedBy };
}

async function listPage(
  scope: Scope,
  filters: AuthLogFilters,
  pageRequest: PageRequest,
  tx: Executor,
): Promise<{ page: Page<AuthLogEntry>; cursorIgnored: boolean }> {
  try {
    return { page: await listAuthLogs(scope, filters, pageRequest, tx), cursorIgnored: false };
  } catch (error) {
    if (!(error instanceof ValidationError) || !pageRequest.cursor) throw error;
    const page = await listAuthLogs(scope, filters, { ...pageRequest, cursor: null }, tx);
    return { page, cursorIgnored: true };
  }
}
