import "server-only";
import type { Organization, User } from "@/db/schema";
import { transitionAuthRequest } from "@/lib/auth-logs/journey";
import { db, type Executor } from "@/lib/db";
import type { ClientInfo } from "@/lib/http/client-info";
import {
  findOrganization,
  findOrganizationByEmailDomain,
  listMemberships,
} from "@/lib/organizations";
import { findUserByEmail } from "@/lib/users";
import { closeIfAbandoned, failAndRetry, lockSignInRequest } from "./request";

export type IdentifyOutcome =
  | { kind: "identified"; authRequestId: string }
  /** The attempt ended in Failure `unknown_user`; the user continues on `retryAuthRequestId`. */
  | { kind: "unknown_user"; retryAuthRequestId: string };

/** The name recorded as `connection` when no organization claims the user. */
export const DIRECTORY_CONNECTION = "Gatehouse directory";

/**
 * The email step. A known user moves the request to Pending (`user_identified`) with the
 * organization found by home realm discovery; an unknown email ends the attempt in Failure
 * `unknown_user` and opens a retry. Emails match case-insensitively.
 */
export async function identifyUser(input: {
  authRequestId: string;
  email: string;
  client: ClientInfo;
}): Promise<IdentifyOutcome> {
  const email = input.email.trim();
  await closeIfAbandoned(input.authRequestId);
  return db.transaction(async (tx) => {
    const request = await lockSignInRequest(tx, input.authRequestId, "email");
    const user = await findUserByEmail(email, tx);
    if (!user) {
      const retry = await failAndRetry(tx, request, "unknown_user", {
        client: input.client,
        detail: { email },
        // Kept on the failed attempt so the log shows what was typed, and the retry can refill it.
        patch: { email },
      });
      return { kind: "unknown_user", retryAuthRequestId: retry.id };
    }
    const realm = await discoverHomeRealm(user, tx);
    const organization =
      realm?.organization ??
      (request.organizationId ? await findOrganization(request.organizationId, tx) : undefined);
    const connection = realm ? realm.organization.name : DIRECTORY_CONNECTION;
    await transitionAuthRequest(
      tx,
      request.id,
      "pending",
      {
        type: "user_identified",
        detail: {
          user_id: user.id,
          email: user.email,
          organization_id: organization?.id ?? null,
          organization_name: organization?.name ?? null,
          connection,
          discovered_by: realm?.by ?? null,
        },
      },
      { userId: user.id, email: user.email, organizationId: organization?.id ?? null, connection },
    );
    return { kind: "identified", authRequestId: request.id };
  });
}

/**
 * Home realm discovery: the organization that verified the email's domain; else the user's only
 * organization. A user in several organizations with an unclaimed domain has no home realm.
 */
export async function discoverHomeRealm(
  user: User,
  tx: Executor = db,
): Promise<{ organization: Organization; by: "email_domain" | "membership" } | undefined> {
  const byDomain = await findOrganizationByEmailDomain(user.email, tx);
  if (byDomain) return { organization: byDomain, by: "email_domain" };
  const memberships = await listMemberships(user.id, tx);
  const [only] = memberships;
  if (memberships.length !== 1 || !only) return undefined;
  const organization = await findOrganization(only.organizationId, tx);
  return organization ? { organization, by: "membership" } : undefined;
}
