import "server-only";
import { and, eq, exists, ne, sql } from "drizzle-orm";
import type { MemberRole } from "@/constants/organizations";
import { memberships, type User, users } from "@/db/schema";
import { hashPassword } from "@/lib/crypto";
import { db, type Executor } from "@/lib/db";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { addMembership, findOrganization, listMembershipsOfUsers } from "@/lib/organizations";
import { canSeeOrganization, type Scope } from "@/lib/organizations/scope";
import { newestFirstPage, type Page, type PageRequest } from "@/lib/pagination";
import {
  emitDirectoryUserDeleted,
  emitDirectoryUserUpdated,
  emitUserCreatedInOrganization,
} from "@/lib/webhooks/emit";
import { dispatchEvents } from "@/lib/webhooks/outbox";
import type { CreateUserInput, UpdateUserInput } from "./schema";

export type UserInput = {
  email: string;
  name?: string | null;
  password?: string | null;
  organizationId?: string | null;
  role?: MemberRole;
};

/**
 * Inserts a user (and their membership) for no caller in particular: Gatehouse's own start-up
 * and demo data, and createUser, which decides whether its caller may. Runs in the caller's
 * transaction; emits nothing.
 */
export async function insertUser(tx: Executor, input: UserInput): Promise<User> {
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
export async function createUser(scope: Scope, input: CreateUserInput): Promise<UserProfile> {
  const organizationId =
    input.organizationId ?? (scope.kind === "organization" ? scope.organizationId : null);
  if (input.role && !organizationId) {
    throw new ValidationError({ role: "needs organization_id: a role is held in an organization" });
  }
  const { profile, created } = await db.transaction(async (tx) => {
    if (organizationId) await assertOrganizationVisible(scope, organizationId, tx);
    const user = await insertUser(tx, { ...input, organizationId });
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

/**
 * Changing and deleting users through the management API. A user is one account across
 * organizations, so an organization's key may change or delete only users that belong to no
 * other organization; operator-wide keys manage everyone. Each change writes its
 * `organization.directory.*` webhooks in the same transaction.
 */
export async function updateUser(
  scope: Scope,
  id: string,
  input: UpdateUserInput,
): Promise<UserProfile> {
  const { profile, updated } = await db.transaction(async (tx) => {
    // Locked, so that concurrent changes each report what they changed from.
    const before = await getUser(scope, id, tx, { lock: "update" });
    await assertManagedBy(scope, id, tx);
    if (input.email !== undefined) await assertEmailFree(input.email, id, tx);
    const [user] = await tx
      .update(users)
      .set({
        email: input.email,
        name: input.name,
        passwordHash: input.password ? await hashPassword(input.password) : undefined,
        updatedAt: new Date(),
      })
      .where(eq(users.id, id))
      .returning();
    const previous = {
      ...(input.email !== undefined && input.email !== before.email ? { email: before.email } : {}),
      ...(input.name !== undefined && input.name !== before.name ? { name: before.name } : {}),
    };
    // A new password alone is not a directory change anyone downstream needs to hear about.
    const updated =
      user && Object.keys(previous).length > 0
        ? await emitDirectoryUserUpdated(tx, { user, previous })
        : [];
    return { profile: await getUser(scope, id, tx), updated };
  });
  await dispatchEvents(updated);
  return profile;
}

/** Deletes the user everywhere; their sessions and tokens stop working (lookups find no user). */
export async function deleteUser(scope: Scope, id: string): Promise<void> {
  const deleted = await db.transaction(async (tx) => {
    const user = await getUser(scope, id, tx);
    await assertManagedBy(scope, id, tx);
    // Emitted first: the memberships that say which organizations to tell go with the user.
    const emitted = await emitDirectoryUserDeleted(tx, { user });
    await tx.delete(users).where(eq(users.id, id));
    return emitted;
  });
  await dispatchEvents(deleted);
}

async function assertManagedBy(scope: Scope, userId: string, tx: Executor): Promise<void> {
  if (scope.kind === "operator") return;
  const [elsewhere] = await tx
    .select({ organizationId: memberships.organizationId })
    .from(memberships)
    .where(
      and(eq(memberships.userId, userId), ne(memberships.organizationId, scope.organizationId)),
    )
    .limit(1);
  if (elsewhere) {
    throw new ForbiddenError(
      "This user also belongs to other organizations; only an operator-wide key can change it",
    );
  }
}

async function assertEmailFree(email: string, userId: string, tx: Executor): Promise<void> {
  const [taken] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${email.toLowerCase()}`, ne(users.id, userId)));
  if (taken) throw new ConflictError(`A user with email ${email} already exists`, "email");
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
export async function getUser(
  scope: Scope,
  id: string,
  tx: Executor = db,
  options: { lock?: "update" } = {},
): Promise<UserProfile> {
  const query = tx
    .select()
    .from(users)
    .where(and(eq(users.id, id), memberOfScope(scope)));
  const [user] = options.lock ? await query.for(options.lock) : await query;
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
    canSeeOrganization(scope, organizationId) &&
    (await findOrganization(organizationId, tx, { lock: "share" }));
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
