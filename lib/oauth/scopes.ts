/**
 * Scopes Gatehouse understands. OIDC Core §3.1.2.1 says scope values that are not understood
 * SHOULD be ignored, so requests keep only these; `openid` is mandatory for every request.
 */
export const SUPPORTED_SCOPES = ["openid", "profile", "email", "offline_access"] as const;
export type Scope = (typeof SUPPORTED_SCOPES)[number];

/** Space-delimited scope (RFC 6749 §3.3) into distinct values, in the order sent. */
export function splitScope(scope: string | null | undefined): string[] {
  if (!scope) return [];
  return [...new Set(scope.split(" ").filter((value) => value !== ""))];
}

export function supportedScopes(requested: string[]): Scope[] {
  return requested.filter((value): value is Scope =>
    (SUPPORTED_SCOPES as readonly string[]).includes(value),
  );
}

export function joinScope(scopes: readonly string[]): string {
  return scopes.join(" ");
}

export function hasScope(scope: string, wanted: Scope): boolean {
  return splitScope(scope).includes(wanted);
}

/** True when every value of `requested` was granted: RFC 6749 §6 forbids widening on refresh. */
export function isSubsetOf(requested: string[], granted: string): boolean {
  const grantedValues = new Set(splitScope(granted));
  return requested.every((value) => grantedValues.has(value));
}
