"use server";

import { textWithoutNul } from "@/lib/validation";
import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { requireDashboardScope } from "@/lib/dashboard/access";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { plainIssueMessage } from "@/lib/issue-messages";
import type { Scope } from "@/lib/organizations/scope";
import { sendTestDelivery } from "@/lib/webhooks/deliveries";
import {
  createEndpoint,
  deleteEndpoint,
  revealEndpointSecret,
  rotateEndpointSecret,
  updateEndpoint,
} from "@/lib/webhooks/endpoints";
import { endpointCreateSchema, endpointUpdateSchema } from "@/lib/webhooks/schema";

/*
 * The Webhooks page's server actions: authorize (the viewer's Scope), parse, call lib/webhooks,
 * and answer with something the page can show. Tenancy is enforced by the data functions: an
 * endpoint of another organization answers as not found. Bad input comes back as field
 * messages; only real faults throw.
 */

export type EndpointField =
  | "url"
  | "description"
  | "event_types"
  | "rate_limit_per_second"
  | "organization_id";

/** What the endpoint dialog shows after its action ran. */
export type EndpointFormState = {
  /** Per-field messages, readable as they are ("URL is required"). */
  fieldErrors?: Partial<Record<EndpointField, string>>;
  /** A message about the whole form (the endpoint was deleted meanwhile, say). */
  error?: string;
  /** Set once saved; `secret` only when the endpoint was just created. */
  saved?: { endpointId: string; secret?: string };
};

/** The outcome of a row action: its result, or a message to show instead. */
export type EndpointActionResult<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; error: string };

export type RevealedSecret = {
  secret: string;
  /** ISO time until which the previous secret still signs, after a rotation; else null. */
  previousSecretExpiresAt: string | null;
};

/** Form fields: `url`, `description`, `event_types_mode` ("all" | "selected") with `event_types`, `rate_limit_per_second`, and (operators) `organization_id` ("operator" = every organization). */
export async function createWebhookEndpoint(
  _state: EndpointFormState,
  formData: FormData,
): Promise<EndpointFormState> {
  const viewer = await requireDashboardScope(WEBHOOKS_PATH);
  const values = endpointFormValues(formData);
  const parsed = endpointCreateSchema.safeParse(values, { error: plainIssueMessage });
  if (!parsed.success) return { fieldErrors: fieldErrorsFromZod(parsed.error) };
  try {
    const { endpoint, secret } = await createEndpoint(viewer.scope, parsed.data);
    revalidatePath(WEBHOOKS_PATH);
    return { saved: { endpointId: endpoint.id, secret } };
  } catch (error) {
    return formStateFromError(error);
  }
}

/** The same fields as creating, plus `endpoint_id`; the organization cannot change. */
export async function updateWebhookEndpoint(
  _state: EndpointFormState,
  formData: FormData,
): Promise<EndpointFormState> {
  const viewer = await requireDashboardScope(WEBHOOKS_PATH);
  const id = endpointIdSchema.safeParse(formData.get("endpoint_id"));
  if (!id.success) return { error: ENDPOINT_NOT_FOUND };
  const { organization_id: _ignored, ...values } = endpointFormValues(formData);
  const parsed = endpointUpdateSchema.safeParse(values, { error: plainIssueMessage });
  if (!parsed.success) return { fieldErrors: fieldErrorsFromZod(parsed.error) };
  try {
    const endpoint = await updateEndpoint(viewer.scope, id.data, parsed.data);
    revalidatePath(WEBHOOKS_PATH);
    return { saved: { endpointId: endpoint.id } };
  } catch (error) {
    return formStateFromError(error);
  }
}

/** The signing secret, fetched only when someone asks to see it. */
export async function revealWebhookSecret(
  endpointId: string,
): Promise<EndpointActionResult<RevealedSecret>> {
  return onEndpoint(endpointId, async (scope, id) =>
    serializeSecret(await revealEndpointSecret(scope, id)),
  );
}

/** A new signing secret; the old one keeps signing for 24 hours alongside it. */
export async function rotateWebhookSecret(
  endpointId: string,
): Promise<EndpointActionResult<RevealedSecret>> {
  return onEndpoint(endpointId, async (scope, id) => {
    const rotated = serializeSecret(await rotateEndpointSecret(scope, id));
    revalidatePath(WEBHOOKS_PATH);
    return rotated;
  });
}

/** Sends a `webhook.test` event to the endpoint, as `POST …/endpoints/{id}/test` does. */
export async function sendWebhookTestEvent(
  endpointId: string,
): Promise<EndpointActionResult<{ deliveryId: string }>> {
  return onEndpoint(endpointId, async (scope, id) => {
    const delivery = await sendTestDelivery(scope, id);
    revalidatePath(WEBHOOKS_PATH);
    return { deliveryId: delivery.id };
  });
}

export async function setWebhookEndpointEnabled(
  endpointId: string,
  enabled: boolean,
): Promise<EndpointActionResult> {
  return onEndpoint(endpointId, async (scope, id) => {
    if (typeof enabled !== "boolean") throw new ValidationError({ enabled: "must be on or off" });
    await updateEndpoint(scope, id, { enabled });
    revalidatePath(WEBHOOKS_PATH);
    return {};
  });
}

/** Deletes the endpoint with its delivery log. */
export async function deleteWebhookEndpoint(endpointId: string): Promise<EndpointActionResult> {
  return onEndpoint(endpointId, async (scope, id) => {
    await deleteEndpoint(scope, id);
    revalidatePath(WEBHOOKS_PATH);
    return {};
  });
}

// ---------------------------------------------------------------------------------------------

const WEBHOOKS_PATH = "/webhooks";
const ENDPOINT_NOT_FOUND = "This webhook endpoint was not found. It may have been deleted.";

const endpointIdSchema = textWithoutNul().trim().min(1).max(100);

const fieldLabels: Record<EndpointField, string> = {
  url: "URL",
  description: "Description",
  event_types: "Event types",
  rate_limit_per_second: "Rate limit",
  organization_id: "Organization",
};

/** Runs a row action on one endpoint in the viewer's scope; domain refusals become messages. */
async function onEndpoint<T extends object>(
  endpointId: unknown,
  run: (scope: Scope, id: string) => Promise<T>,
): Promise<EndpointActionResult<T>> {
  const viewer = await requireDashboardScope(WEBHOOKS_PATH);
  const id = endpointIdSchema.safeParse(endpointId);
  if (!id.success) return { ok: false, error: ENDPOINT_NOT_FOUND };
  try {
    return { ok: true, ...(await run(viewer.scope, id.data)) };
  } catch (error) {
    if (error instanceof NotFoundError) return { ok: false, error: ENDPOINT_NOT_FOUND };
    if (error instanceof ConflictError || error instanceof ValidationError) {
      return { ok: false, error: error.message };
    }
    throw error;
  }
}

/** The form as the API would take it; the schemas decide what is valid. */
function endpointFormValues(formData: FormData) {
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const rate = text("rate_limit_per_second")?.trim();
  const organization = text("organization_id")?.trim();
  return {
    url: text("url") ?? "",
    description: text("description")?.trim() || null,
    event_types:
      text("event_types_mode") === "selected"
        ? formData.getAll("event_types").filter((type) => typeof type === "string")
        : null,
    // "abc" becomes NaN, which the schema refuses as not a number.
    rate_limit_per_second: rate ? Number(rate) : null,
    // Only operators get the picker; an organization's admin sends nothing and gets their own.
    organization_id:
      organization === undefined
        ? undefined
        : organization === OPERATOR_ENDPOINT || organization === ""
          ? null
          : organization,
  };
}

/** The picker's value for an operator endpoint (no organization: receives every one's events). */
const OPERATOR_ENDPOINT = "operator";

function fieldErrorsFromZod(error: z.ZodError): EndpointFormState["fieldErrors"] {
  const fields: Partial<Record<EndpointField, string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (typeof field !== "string" || !(field in fieldLabels)) continue;
    const name = field as EndpointField;
    fields[name] ??= readable(name, humanMessage(name, issue));
  }
  return fields;
}

/** The form's own wording where the API's (plainIssueMessage, passed to the parse) reads oddly. */
function humanMessage(field: EndpointField, issue: z.core.$ZodIssue): string {
  // The form sends what a number box held: anything unreadable was not a whole number.
  if (field === "rate_limit_per_second" && issue.code === "invalid_type") {
    return "must be a whole number";
  }
  if (field === "event_types" && issue.code === "too_small") {
    return "Pick at least one event type, or choose All events";
  }
  if (field === "event_types" && issue.path.length > 1) {
    return "include a type that is not in the catalog";
  }
  return issue.message;
}

/** "is required" → "URL is required"; whole sentences ("Enter a full URL…") stay as they are. */
function readable(field: EndpointField, message: string): string {
  return /^[a-z]/.test(message) ? `${fieldLabels[field]} ${message}` : message;
}

function formStateFromError(error: unknown): EndpointFormState {
  if (error instanceof ValidationError) {
    const fields: Partial<Record<EndpointField, string>> = {};
    let other: string | undefined;
    for (const [field, message] of Object.entries(error.fields)) {
      if (field in fieldLabels) {
        fields[field as EndpointField] = readable(field as EndpointField, message);
      } else {
        other = message;
      }
    }
    return { fieldErrors: fields, error: other };
  }
  if (error instanceof NotFoundError) return { error: ENDPOINT_NOT_FOUND };
  if (error instanceof ConflictError) return { error: error.message };
  throw error;
}

function serializeSecret(secret: {
  secret: string;
  previousSecretExpiresAt: Date | null;
}): RevealedSecret {
  return {
    secret: secret.secret,
    previousSecretExpiresAt: secret.previousSecretExpiresAt?.toISOString() ?? null,
  };
}
