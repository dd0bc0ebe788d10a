import { randomBytes } from "node:crypto";

/**
 * The defaults every test's data is made from, whether written by the factories
 * (tests/support/factories.ts) or sent to a running server's API (e2e/support/api.ts): unique
 * per call, so tests running side by side on one database never meet.
 */
export function uniqueSuffix(): string {
  return randomBytes(5).toString("hex");
}

export function testOrganizationName(suffix: string = uniqueSuffix()): string {
  return `Org ${suffix}`;
}

export function testEmail(domain = `${uniqueSuffix()}.example.com`): string {
  return `user-${uniqueSuffix()}@${domain}`;
}
