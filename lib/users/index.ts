import "server-only";
import { and, eq, exists, sql } from "drizzle-orm";
import type { MemberRole } from "@/constants/organizations";
import { memberships, type User, users } from "@/db/schema";
import { hashPassword } from "@/lib/crypto";
import { db, type Executor } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { addMembership, findOrganization, listMembershipsOfUsers } from "@/lib/organizations";
import { canSeeOrganization, type Scope } from "@/lib/organizations/scope";
import { newestFirstPage, type Page, type PageRequest } from "@/lib/pagination";
import { emitUserCreatedInOrganization } from "@/lib/webhooks/emit";
import { dispatchEvents } from "@/lib/webhooks/outbox";
import type { CreateUserInput } from "./schema";

export type UserInput = {
  email: string;
  name?: string | null;
  password?: string | null;
  organizationId?: string | null;
  role?: MemberRole;
};

export async function createUser(input: UserInput, tx: Executor = db): Promise<User> {
  const email = input.email.trim();
  if (await findUserByEmail(email, tx)) {
    throw new ConflictError(`A user with email ${email} already exists`, "email");
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const [created] = await tx
    .insert(users)
    .values({ id: newId("usr"), email, name: input.name ?? null, passwordHash })
    .returning();
  const user = created as User;
  if (input.organizationId) {
    await addMembership(
      { userId: user.id, organizationId: input.organizationId, role: input.role ?? "member" },
      tx,
    );
  }
  return user;
}

/** Emails are matched case-insensitively everywhere (RFC 5321 local parts aside, as users expect). */
export async function findUserByEmail(email: string, tx: Executor = db): Promise<User | undefined> {
  const [found] = await tx
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  return found;
}

export async function findUser(id: string, tx: Executor = db): Promise<User | undefined> {
  const [found] = await tx.select().from(users).where(eq(users.id, id));
  return found;
}

/** Replaces a user's password (hashing it); NotFoundError when there is no such user. */
export async function setUserPassword(
  userId: string,
  password: string,
  tx: Executor = db,
): Promise<User> {
  const [updated] = await tx
    .update(users)
    .set({ passwordHash: await hashPassword(password), updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning();
  if (!updated) throw new NotFoundError("User");
  return updated;
}

/** A user as the API and dashboard show it: never the password hash, only whether one is set. */
export type UserProfile = Omit<User, "passwordHash"> & {
  hasPassword: boolean;
  memberships: UserMembership[];
};

export type UserMembership = {
  organizationId: string;
  organizationName: string;
  role: MemberRole;
  createdAt: Date;
};

/**
 * Creates a user for an API key or dashboard admin. An organization-scoped caller's users join
 * its organization by default and can join no other; an organization outside the scope is
 * reported as unknown, so one tenant cannot probe another's ids.
 */
export async function createScopedUser(scope: Scope, input: CreateUserInput): Promise<UserProfile> {
  const organizationId =
    input.organizationId ?? (scope.kind === "organization" ? scope.organizationId : null);
  if (input.role && !organizationId) {
    throw new ValidationError({ role: "needs organization_id: a role is held in an organization" });
  }
  const { profile, created } = await db.transaction(async (tx) => {
    if (organizationId) await assertOrganizationVisible(scope, organizationId, tx);
    const user = await createUser({ ...input, organizationId }, tx);
    const profile = await getUser(scope, user.id, tx);
    // Webhooks (signup, directory, membership) are written with the user (transactional outbox).
    const membership = profile.memberships.find((m) => m.organizationId === organizationId);
    const created = membership
      ? await emitUserCreatedInOrganization(tx, {
          user,
          organizationId: membership.organizationId,
          role: membership.role,
          joinedAt: membership.createdAt,
        })
      : [];
    return { profile, created };
  });
  await dispatchEvents(created);
  return profile;
}

/** Users visible in `scope` (members of its organization; everyone for operators), newest first. */
export async function listUsers(
  scope: Scope,
  page: PageRequest,
  tx: Executor = db,
): Promise<Page<UserProfile>> {
  const { data, nextCursor } = await newestFirstPage(tx, users, memberOfScope(scope), page);
  const memberships = await membershipsByUser(
    scope,
    data.map((user) => user.id),
    tx,
  );
  return {
    data: data.map((user) => toProfile(user, memberships.get(user.id) ?? [])),
    nextCursor,
  };
}

/** One user with the memberships `scope` may see; NotFoundError when missing or outside it. */
export async function getUser(scope: Scope, id: string, tx: Executor = db): Promise<UserProfile> {
  const [user] = await tx
    .select()
    .from(users)
    .where(and(eq(users.id, id), memberOfScope(scope)));
  if (!user) throw new NotFoundError("User");
  const memberships = await membershipsByUser(scope, [id], tx);
  return toProfile(user, memberships.get(id) ?? []);
}

function memberOfScope(scope: Scope) {
  if (scope.kind === "operator") return undefined;
  return exists(
    db
      .select({ one: sql`1` })
      .from(memberships)
      .where(
        and(eq(memberships.userId, users.id), eq(memberships.organizationId, scope.organizationId)),
      ),
  );
}

async function assertOrganizationVisible(
  scope: Scope,
  organizationId: string,
  tx: Executor,
): Promise<void> {
  const visible =
    canSeeOrganization(scope, organizationId) && (await findOrganization(organizationId, tx));
  if (!visible) throw new ValidationError({ organization_id: "does not exist" });
}

async function membershipsByUser(
  scope: Scope,
  userIds: string[],
  tx: Executor,
): Promise<Map<string, UserMembership[]>> {
  const byUser = new Map<string, UserMembership[]>();
  for (const { userId, ...membership } of await listMembershipsOfUsers(scope, userIds, tx)) {
    byUser.set(userId, [...(byUser.get(userId) ?? []), membership]);
  }
  return byUser;
}

function toProfile(user: User, memberships: UserMembership[]): UserProfile {
  const { passwordHash, ...profile } = user;
  return { ...profile, hasPassword: passwordHash !== null, memberships };
}
