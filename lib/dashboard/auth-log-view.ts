import "server-only";
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
import { db, type Executor } from "@/lib/db";
import type { Scope } from "@/lib/organizations/scope";
import { type Page, type PageRequest, pageOrFirstPage } from "@/lib/pagination";

/** Everything the Auth Logs page shows, read within `scope`. */
export type AuthLogView = {
  page: Page<AuthLogEntry>;
  /** The URL's cursor was not one of ours (edited by hand, say): the first page is shown. */
  cursorIgnored: boolean;
  stats: AuthLogStats;
  organizations: OrganizationOption[];
  names: EntryNames;
  /** When nothing matched: the filters that, removed alone, would show entries. */
  excludedBy: FilterName[];
};

export async function loadAuthLogView(
  scope: Scope,
  filters: AuthLogFilters,
  pageRequest: PageRequest,
  now: Date = new Date(),
  tx: Executor = db,
): Promise<AuthLogView> {
  const [{ page, cursorIgnored }, stats, organizations] = await Promise.all([
    pageOrFirstPage((request) => listAuthLogs(scope, filters, request, tx), pageRequest),
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
