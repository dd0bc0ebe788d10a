import "server-only";
import { eq, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/client";
import { type MemberRole, type User, users } from "@/db/schema";
import { hashPassword } from "@/lib/crypto";
import { ConflictError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { addMembership } from "@/lib/organizations";

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
