import { z } from "zod";
import { deliveryStatuses } from "@/constants/webhooks";
import { pageQueryShape } from "@/lib/pagination";
import { instantParam, textWithoutNul } from "@/lib/validation";
import { isWebhookEventType, type WebhookEventType } from "./catalog";

/**
 * Webhook input, defined once for the management API, the dashboard forms and the data
 * functions. Field names are the API's (snake_case). Whether the URL is an allowed outbound
 * target needs DNS, so `createEndpoint`/`updateEndpoint` check that on save.
 */

/**
 * The highest `rate_limit_per_second` an endpoint may ask for. It is also the static `throttle`
 * of the delivery function, per endpoint: the ceiling for endpoints without a limit of their own.
 */
export const MAX_RATE_LIMIT_PER_SECOND = 50;

const eventTypeName = z
  .string()
  .refine(isWebhookEventType, "is not an event type (see GET /api/v1/webhooks/event-types)")
  .transform((type) => type as WebhookEventType);

export const endpointCreateSchema = z.strictObject({
  url: textWithoutNul().trim().min(1, "is required").max(2048, "must be at most 2048 characters"),
  description: textWithoutNul().trim().max(500, "must be at most 500 characters").nullish(),
  /** Omitted or null: every event type. */
  event_types: z
    .array(eventTypeName)
    .min(1, "must name at least one event type; omit it to receive every type")
    .max(50)
    .nullish(),
  rate_limit_per_second: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(MAX_RATE_LIMIT_PER_SECOND, `must be at most ${MAX_RATE_LIMIT_PER_SECOND}`)
    .nullish(),
  enabled: z.boolean().optional(),
  /** Operator keys only; omitted or null makes an operator endpoint (every organization). */
  organization_id: textWithoutNul().trim().min(1).max(100).nullish(),
});

export const endpointUpdateSchema = endpointCreateSchema
  .omit({ organization_id: true })
  .partial()
  .refine((body) => Object.keys(body).length > 0, "must change at least one field");

export type EndpointCreateInput = z.output<typeof endpointCreateSchema>;
export type EndpointUpdateInput = z.output<typeof endpointUpdateSchema>;

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((value) => (Array.isArray(value) ? value : [value]));

/** `GET …/endpoints/{id}/deliveries`: `status` may repeat. */
export const deliveryListQuerySchema = z
  .strictObject({
    ...pageQueryShape,
    status: oneOrMany(z.enum(deliveryStatuses)).optional(),
    event_type: eventTypeName.optional(),
    from: instantParam.optional(),
    to: instantParam.optional(),
  })
  .transform((query) => ({
    limit: query.limit,
    cursor: query.cursor,
    statuses: query.status,
    eventType: query.event_type,
    from: query.from,
    to: query.to,
  }));

/** `POST …/endpoints/{id}/replay`: every Failed delivery in the range (created_at). */
export const endpointReplaySchema = z
  .strictObject({
    since: instantParam.optional(),
    until: instantParam.optional(),
    event_type: eventTypeName.optional(),
  })
  .transform((body) => ({
    since: body.since,
    until: body.until,
    eventType: body.event_type,
  }));

export type EndpointReplayInput = z.output<typeof endpointReplaySchema>;
