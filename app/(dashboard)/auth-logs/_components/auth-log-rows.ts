import type { AuthMethod, AuthStatus } from "@/constants/auth-logs";
import type { EntryNames } from "@/lib/auth-logs/names";
import type { AuthLogEntry } from "@/lib/auth-logs/queries";

export const methodLabels: Record<AuthMethod, string> = {
  password: "Password",
  email_code: "Email code",
  session: "Existing session",
};

/**
 * One row of the Auth Logs table as it is shown: only the displayed values, already worded and
 * named, so a page of a hundred entries crosses from server to browser as a small array.
 */
export type AuthLogRow = {
  id: string;
  status: AuthStatus;
  createdAt: string;
  /** Null until the attempt has identified someone. */
  email: string | null;
  method: string;
  organization: string;
  application: string;
  summary: string;
};

export function toAuthLogRow(entry: AuthLogEntry, names: EntryNames): AuthLogRow {
  return {
    id: entry.id,
    status: entry.status,
    createdAt: entry.createdAt.toISOString(),
    email: entry.email,
    method: entry.authMethod ? methodLabels[entry.authMethod] : "—",
    organization: entry.organizationId
      ? (names.organizations.get(entry.organizationId) ?? entry.organizationId)
      : "—",
    application: entry.clientId ? (names.clients.get(entry.clientId) ?? entry.clientId) : "—",
    summary: summarize(entry),
  };
}

/** One line about where the attempt stands: its error, or its latest step. */
function summarize(entry: AuthLogEntry): string {
  if (entry.status === "failure") {
    return entry.errorCode
      ? `${entry.errorCode}${entry.errorDescription ? `: ${entry.errorDescription}` : ""}`
      : (entry.errorDescription ?? "Failed");
  }
  if (entry.status === "success") return "Signed in; tokens issued";
  if (entry.status === "pending") return "User identified, sign-in in progress";
  return "Authorization request received";
}
