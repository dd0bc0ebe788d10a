"use server";

import { z } from "zod";
import { dashboardAction } from "@/lib/dashboard/action";
import { textWithoutNul } from "@/lib/validation";
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
 * The Webhooks page's server actions, each through dashboardAction: the viewer's Scope, the API's
 * schemas, lib/webhooks, and an ActionResult the page shows. Tenancy is the data functions': an
 * endpoint of another organization answers as not found.
 */

const page = { page: "/webhooks", revalidate: ["/webhooks"] };
const notFound = "This webhook endpoint was not found. It may have been deleted.";
const endpointId = textWithoutNul().max(200);
const onEndpoint = z.strictObject({ endpoint_id: endpointId });

/** The endpoint form's fields (`name: label`). */
const fields = {
  url: "URL",
  description: "Description",
  event_types: "Event types",
  rate_limit_per_second: "Rate limit",
  organization_id: "Organization",
};

/** The picker's value for an operator endpoint (no organization: receives every one's events). */
const OPERATOR_ENDPOINT = "operator";

/**
 * Form fields: `url`, `description`, `event_types_mode` ("all" | "selected") with `event_types`,
 * `rate_limit_per_second`, and (operators) `organization_id` ("operator" = every organization).
 */
export const createWebhookEndpoint = dashboardAction(
  {
    ...page,
    schema: endpointCreateSchema,
    notFound,
    fields,
    fromForm: endpointFormValues,
    reword: formWording,
  },
  async (input, viewer) => {
    const { endpoint, secret } = await createEndpoint(viewer.scope, input);
    return { endpointId: endpoint.id, secret };
  },
);

/** The same fields as creating, plus `endpoint_id`; the organization cannot change. */
export const updateWebhookEndpoint = dashboardAction(
  {
    ...page,
    schema: z.strictObject({ endpoint_id: endpointId, changes: endpointUpdateSchema }),
    notFound,
    fields,
    fromForm: (formData) => {
      const { organization_id: _fixed, ...changes } = endpointFormValues(formData);
      return { endpoint_id: formData.get("endpoint_id") ?? "", changes };
    },
    reword: formWording,
    ids: ["endpoint_id"],
  },
  async (input, viewer) => {
    const endpoint = await updateEndpoint(viewer.scope, input.endpoint_id, input.changes);
    return { endpointId: endpoint.id };
  },
);

/** The signing secret, fetched only when someone asks to see it. */
export const revealWebhookSecret = dashboardAction(
  { page: "/webhooks", schema: onEndpoint, notFound, ids: ["endpoint_id"] },
  async (input, viewer) => secretOf(await revealEndpointSecret(viewer.scope, input.endpoint_id)),
);

/** A new signing secret; the old one keeps signing for 24 hours alongside it. */
export const rotateWebhookSecret = dashboardAction(
  { ...page, schema: onEndpoint, notFound, ids: ["endpoint_id"] },
  async (input, viewer) => secretOf(await rotateEndpointSecret(viewer.scope, input.endpoint_id)),
);

/** Sends a `webhook.test` event to the endpoint, as `POST …/endpoints/{id}/test` does. */
export const sendWebhookTestEvent = dashboardAction(
  { ...page, schema: onEndpoint, notFound, ids: ["endpoint_id"] },
  async (input, viewer) => {
    const delivery = await sendTestDelivery(viewer.scope, input.endpoint_id);
    return { deliveryId: delivery.id };
  },
);

export const setWebhookEndpointEnabled = dashboardAction(
  {
    ...page,
    schema: z.strictObject({ endpoint_id: endpointId, enabled: z.boolean() }),
    notFound,
    ids: ["endpoint_id"],
  },
  async (input, viewer) => {
    await updateEndpoint(viewer.scope, input.endpoint_id, { enabled: input.enabled });
    return {};
  },
);

/** Deletes the endpoint with its delivery log. */
export const deleteWebhookEndpoint = dashboardAction(
  { ...page, schema: onEndpoint, notFound, ids: ["endpoint_id"] },
  async (input, viewer) => {
    await deleteEndpoint(viewer.scope, input.endpoint_id);
    return {};
  },
);

// ---------------------------------------------------------------------------------------------

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
    // "abc" becomes NaN, which the schema refuses as not a whole number.
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

/** The event type checkboxes, in the form's words rather than the API's. */
function formWording(field: string, message: string): string {
  if (/^(changes\.)?event_types\[/.test(field)) return "include a type that is not in the catalog";
  if (/^(changes\.)?event_types$/.test(field) && message.startsWith("must name at least one")) {
    return "Pick at least one event type, or choose All events";
  }
  return message;
}

export type RevealedSecret = {
  secret: string;
  /** ISO time until which the previous secret still signs, after a rotation; else null. */
  previousSecretExpiresAt: string | null;
};

function secretOf(secret: {
  secret: string;
  previousSecretExpiresAt: Date | null;
}): RevealedSecret {
  return {
    secret: secret.secret,
    previousSecretExpiresAt: secret.previousSecretExpiresAt?.toISOString() ?? null,
  };
}
