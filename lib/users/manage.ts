import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { memberships, users } from "@/db/schema";
import { hashPassword } from "@/lib/crypto";
import { db, type Executor } from "@/lib/db";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import type { Scope } from "@/lib/organizations/scope";
import { emitDirectoryUserDeleted, emitDirectoryUserUpdated } from "@/lib/webhooks/emit";
import { dispatchEvents } from "@/lib/webhooks/outbox";
import { getUser, type UserProfile } from "./index";
import type { UpdateUserInput } from "./schema";

/**
 * Changing and deleting users through the management API. A user is one account across
 * organizations, so an organization's key may change or delete only users that belong to no
 * other organization; operator-wide keys manage everyone. Each change writes its
 * `organization.directory.*` webhooks in the same transaction.
 */
export async function updateScopedUser(
  scope: Scope,
  id: string,
  input: UpdateUserInput,
): Promise<UserProfile> {
  const { profile, updated } = await db.transaction(async (tx) => {
    const before = await getUser(scope, id, tx);
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
export async function deleteScopedUser(scope: Scope, id: string): Promise<void> {
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
