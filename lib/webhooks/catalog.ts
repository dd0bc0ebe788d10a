import { z } from "zod";

/**
 * The webhook event catalog: every event type Gatehouse sends, what it means, the shape of its
 * `data`, and an example. The same zod schemas type `emitEvent` at compile time and are turned
 * into the JSON Schemas that `GET /api/v1/webhooks/event-types` publishes.
 *
 * Every payload is an envelope `{ id, type, occurred_at, organization_id, data }`; `id` is also
 * the `webhook-id` header, the same on every retry and replay, so receivers can de-duplicate.
 */

const isoTime = z.iso.datetime({ offset: true });

const userObject = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    email_verified_at: isoTime.nullable(),
    created_at: isoTime,
    updated_at: isoTime,
  })
  .meta({ description: "The user as it is after the change" });

const organizationObject = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  domains: z.array(z.string()),
  created_at: isoTime,
  updated_at: isoTime,
});

const role = z.enum(["admin", "member"]);

const dataSchemas = {
  "user.signup": z.object({ user: userObject }),
  "user.login": z.object({
    user: userObject,
    auth_request_id: z.string().meta({ description: "The auth log entry of this sign-in" }),
    client_id: z.string().nullable(),
    auth_method: z.string().nullable(),
    connection: z.string().nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
  }),
  "user.logout": z.object({
    user: userObject,
    session_id: z.string(),
    client_id: z.string().nullable().meta({ description: "The application that asked, if any" }),
    ended_at: isoTime,
  }),
  "organization.created": z.object({ organization: organizationObject }),
  "organization.updated": z.object({
    organization: organizationObject,
    previous_attributes: organizationObject
      .pick({ name: true, domains: true })
      .partial()
      .meta({ description: "The old values of the fields that changed" }),
  }),
  "organization.deleted": z.object({ organization: organizationObject }),
  "organization.directory.user_created": z.object({ user: userObject, role }),
  "organization.directory.user_updated": z.object({
    user: userObject,
    previous_attributes: z
      .object({ email: z.string(), name: z.string().nullable() })
      .partial()
      .meta({ description: "The old values of the fields that changed" }),
  }),
  "organization.directory.user_deleted": z.object({ user: userObject }),
  "organization.membership_created": z.object({
    membership: z.object({
      user_id: z.string(),
      organization_id: z.string(),
      role,
      created_at: isoTime,
    }),
    user: userObject,
  }),
  "webhook.test": z.object({ endpoint_id: z.string(), message: z.string() }),
} as const;

export type WebhookEventType = keyof typeof dataSchemas;
export type WebhookEventData<Type extends WebhookEventType> = z.input<(typeof dataSchemas)[Type]>;

/** The body of every webhook request. */
export type WebhookPayload<Type extends WebhookEventType = WebhookEventType> = {
  id: string;
  type: Type;
  occurred_at: string;
  organization_id: string | null;
  data: WebhookEventData<Type>;
};

export type EventTypeDescription = {
  type: WebhookEventType;
  description: string;
  /** JSON Schema (draft 2020-12) of the whole payload. */
  schema: Record<string, unknown>;
  example: WebhookPayload;
};

export const webhookEventTypes = Object.keys(dataSchemas) as WebhookEventType[];

export function isWebhookEventType(type: string): type is WebhookEventType {
  return Object.hasOwn(dataSchemas, type);
}

/** The catalog as the API publishes it, in catalog order. */
export function describeEventTypes(): EventTypeDescription[] {
  return webhookEventTypes.map((type) => ({
    type,
    description: descriptions[type],
    schema: payloadJsonSchema(type),
    example: examples[type],
  }));
}

/** Checks `data` against its type's schema; emitting malformed data is a bug, not input. */
export function assertEventData<Type extends WebhookEventType>(
  type: Type,
  data: WebhookEventData<Type>,
): void {
  const parsed = dataSchemas[type].safeParse(data);
  if (!parsed.success) {
    throw new Error(`Malformed ${type} data: ${z.prettifyError(parsed.error)}`);
  }
}

// ---------------------------------------------------------------------------------------------

const descriptions: Record<WebhookEventType, string> = {
  "user.signup": "A user account was created in an organization.",
  "user.login":
    "A user signed in: an application exchanged the authorization code of a successful sign-in " +
    "for tokens. `auth_request_id` names the auth log entry.",
  "user.logout":
    "A user's Gatehouse session ended at the end-session endpoint. Sent to every organization " +
    "the user belongs to, since the session was shared by all of them.",
  "organization.created": "An organization was created.",
  "organization.updated": "An organization's name or domains changed.",
  "organization.deleted":
    "An organization was deleted, with its memberships, applications and webhook endpoints; " +
    "only endpoints of the operator (receiving every organization's events) get this one.",
  "organization.directory.user_created": "A user was added to the organization's directory.",
  "organization.directory.user_updated":
    "A user of the organization's directory changed (email or name).",
  "organization.directory.user_deleted": "A user of the organization's directory was deleted.",
  "organization.membership_created": "A user became a member of the organization.",
  "webhook.test":
    "Sent only to one endpoint when someone asks for a test delivery; safe to ignore.",
};

const EXAMPLE_TIME = "2025-01-15T09:30:00.000Z";
const exampleUser = {
  id: "usr_01jhb2k3m4n5p6q7r8s9t0v1w2",
  email: "ada@example.com",
  name: "Ada Lovelace",
  email_verified_at: EXAMPLE_TIME,
  created_at: EXAMPLE_TIME,
  updated_at: EXAMPLE_TIME,
};
const exampleOrganization = {
  id: "org_01jhb2k3m4n5p6q7r8s9t0v1w2",
  name: "Example Corp",
  slug: "example-corp",
  domains: ["example.com"],
  created_at: EXAMPLE_TIME,
  updated_at: EXAMPLE_TIME,
};

const exampleData: { [Type in WebhookEventType]: WebhookEventData<Type> } = {
  "user.signup": { user: exampleUser },
  "user.login": {
    user: exampleUser,
    auth_request_id: "areq_01jhb2k3m4n5p6q7r8s9t0v1w2",
    client_id: "app_01jhb2k3m4n5p6q7r8s9t0v1w2",
    auth_method: "password",
    connection: "password",
    ip: "203.0.113.7",
    user_agent: "Mozilla/5.0",
  },
  "user.logout": {
    user: exampleUser,
    session_id: "ses_01jhb2k3m4n5p6q7r8s9t0v1w2",
    client_id: "app_01jhb2k3m4n5p6q7r8s9t0v1w2",
    ended_at: EXAMPLE_TIME,
  },
  "organization.created": { organization: exampleOrganization },
  "organization.updated": {
    organization: exampleOrganization,
    previous_attributes: { name: "Example Inc" },
  },
  "organization.deleted": { organization: exampleOrganization },
  "organization.directory.user_created": { user: exampleUser, role: "member" },
  "organization.directory.user_updated": {
    user: exampleUser,
    previous_attributes: { name: "Ada Byron" },
  },
  "organization.directory.user_deleted": { user: exampleUser },
  "organization.membership_created": {
    membership: {
      user_id: exampleUser.id,
      organization_id: exampleOrganization.id,
      role: "member",
      created_at: EXAMPLE_TIME,
    },
    user: exampleUser,
  },
  "webhook.test": {
    endpoint_id: "ep_01jhb2k3m4n5p6q7r8s9t0v1w2",
    message: "This is a test delivery from Gatehouse.",
  },
};

const examples = Object.fromEntries(
  webhookEventTypes.map((type) => [
    type,
    {
      id: "evt_01jhb2k3m4n5p6q7r8s9t0v1w2",
      type,
      occurred_at: EXAMPLE_TIME,
      organization_id: type === "webhook.test" ? null : exampleOrganization.id,
      data: exampleData[type],
    },
  ]),
) as Record<WebhookEventType, WebhookPayload>;

function payloadJsonSchema(type: WebhookEventType): Record<string, unknown> {
  const envelope = z.object({
    id: z.string().meta({ description: "Event id; also the webhook-id header" }),
    type: z.literal(type),
    occurred_at: isoTime,
    organization_id: z
      .string()
      .nullable()
      .meta({ description: "The organization the event is about" }),
    data: dataSchemas[type],
  });
  return z.toJSONSchema(envelope, { io: "input" }) as Record<string, unknown>;
}
