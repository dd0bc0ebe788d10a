import "server-only";
import { eq } from "drizzle-orm";
import type { MemberRole } from "@/constants/organizations";
import {
  type AuthRequest,
  memberships,
  type Organization,
  type Session,
  type User,
  users,
} from "@/db/schema";
import type { Executor } from "@/lib/db";
import type { WebhookEventData } from "./catalog";
import { type EmittedEvent, emitEvent } from "./outbox";

/**
 * The events of the product's own actions, built from its domain objects. Each runs inside the
 * transaction of the change it reports; the caller passes what it returns to `dispatchEvents`
 * after the commit. This module reads tables directly rather than through lib/users or
 * lib/organizations, which call it.
 */

type UserFields = Pick<
  User,
  "id" | "email" | "name" | "emailVerifiedAt" | "createdAt" | "updatedAt"
>;
type OrganizationFields = Pick<Organization, "id" | "name" | "slug" | "createdAt" | "updatedAt"> & {
  domains: string[];
};

/** A successful code exchange: the user is signed in to an application. */
export async function emitUserLogin(
  tx: Executor,
  input: { authRequest: AuthRequest; user: UserFields },
): Promise<EmittedEvent> {
  const { authRequest } = input;
  return emitEvent(tx, {
    type: "user.login",
    organizationId: authRequest.organizationId,
    data: {
      user: userObject(input.user),
      auth_request_id: authRequest.id,
      client_id: authRequest.clientId,
      auth_method: authRequest.authMethod,
      connection: authRequest.connection,
      ip: authRequest.ip,
      user_agent: authRequest.userAgent,
    },
  });
}

/**
 * The end of a Gatehouse session. Sessions are single sign-on across organizations, so every
 * organization the user belongs to is told (none when the user has been deleted since).
 */
export async function emitUserLogout(
  tx: Executor,
  input: { session: Session; clientId: string | null },
): Promise<EmittedEvent[]> {
  const [user] = await tx.select().from(users).where(eq(users.id, input.session.userId));
  if (!user) return [];
  const data: WebhookEventData<"user.logout"> = {
    user: userObject(user),
    session_id: input.session.id,
    client_id: input.clientId,
    ended_at: (input.session.endedAt ?? new Date()).toISOString(),
  };
  const organizationIds = await organizationsOfUser(tx, user.id);
  const emitted: EmittedEvent[] = [];
  for (const organizationId of organizationIds) {
    emitted.push(await emitEvent(tx, { type: "user.logout", organizationId, data }));
  }
  return emitted;
}

/** A user created as a member of an organization: signup, directory entry and membership. */
export async function emitUserCreatedInOrganization(
  tx: Executor,
  input: { user: UserFields; organizationId: string; role: MemberRole; joinedAt: Date },
): Promise<EmittedEvent[]> {
  const { organizationId, role } = input;
  const user = userObject(input.user);
  return [
    await emitEvent(tx, { type: "user.signup", organizationId, data: { user } }),
    await emitEvent(tx, {
      type: "organization.directory.user_created",
      organizationId,
      data: { user, role },
    }),
    await emitEvent(tx, {
      type: "organization.membership_created",
      organizationId,
      data: {
        membership: {
          user_id: user.id,
          organization_id: organizationId,
          role,
          created_at: input.joinedAt.toISOString(),
        },
        user,
      },
    }),
  ];
}

/** A directory user changed; every organization the user belongs to is told. */
export async function emitDirectoryUserUpdated(
  tx: Executor,
  input: {
    user: UserFields;
    previous: WebhookEventData<"organization.directory.user_updated">["previous_attributes"];
  },
): Promise<EmittedEvent[]> {
  const data = { user: userObject(input.user), previous_attributes: input.previous };
  const emitted: EmittedEvent[] = [];
  for (const organizationId of await organizationsOfUser(tx, input.user.id)) {
    emitted.push(
      await emitEvent(tx, { type: "organization.directory.user_updated", organizationId, data }),
    );
  }
  return emitted;
}

/** Call before deleting the user: the memberships that say who to tell go with it. */
export async function emitDirectoryUserDeleted(
  tx: Executor,
  input: { user: UserFields },
): Promise<EmittedEvent[]> {
  const data = { user: userObject(input.user) };
  const emitted: EmittedEvent[] = [];
  for (const organizationId of await organizationsOfUser(tx, input.user.id)) {
    emitted.push(
      await emitEvent(tx, { type: "organization.directory.user_deleted", organizationId, data }),
    );
  }
  return emitted;
}

export async function emitOrganizationCreated(
  tx: Executor,
  organization: OrganizationFields,
): Promise<EmittedEvent> {
  return emitEvent(tx, {
    type: "organization.created",
    organizationId: organization.id,
    data: { organization: organizationObject(organization) },
  });
}

export async function emitOrganizationUpdated(
  tx: Executor,
  input: {
    organization: OrganizationFields;
    previous: WebhookEventData<"organization.updated">["previous_attributes"];
  },
): Promise<EmittedEvent> {
  return emitEvent(tx, {
    type: "organization.updated",
    organizationId: input.organization.id,
    data: {
      organization: organizationObject(input.organization),
      previous_attributes: input.previous,
    },
  });
}

/**
 * Call before deleting the organization. Its own endpoints are deleted with it (and their
 * deliveries of this event), so in practice operator endpoints receive it.
 */
export async function emitOrganizationDeleted(
  tx: Executor,
  organization: OrganizationFields,
): Promise<EmittedEvent> {
  return emitEvent(tx, {
    type: "organization.deleted",
    organizationId: organization.id,
    data: { organization: organizationObject(organization) },
  });
}

// ---------------------------------------------------------------------------------------------

function userObject(user: UserFields) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    email_verified_at: user.emailVerifiedAt ? user.emailVerifiedAt.toISOString() : null,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}

function organizationObject(organization: OrganizationFields) {
  return {
    id: organization.id,
    name: organization.name,
    slug: organization.slug,
    domains: organization.domains,
    created_at: organization.createdAt.toISOString(),
    updated_at: organization.updatedAt.toISOString(),
  };
}

async function organizationsOfUser(tx: Executor, userId: string): Promise<string[]> {
  const rows = await tx
    .select({ organizationId: memberships.organizationId })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.createdAt);
  return rows.map((row) => row.organizationId);
}
