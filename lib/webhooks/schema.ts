import { z } from "zod";
import { deliveryStatuses } from "@/constants/webhooks";
import { pageQueryShape } from "@/lib/pagination";
import { instantParam, textWithoutNul } from "@/lib/validation";
import { isWebhookEventType, type WebhookEventType } from "./catalog";

/**
 * Webhook input, defined once for the management API and the dashboard forms: field names are
 * the API's (snake_case), the output is the data functions' input (camelCase). Whether the URL
 * is an allowed outbound target needs DNS, so `createEndpoint`/`updateEndpoint` check that on
 * save.
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

const endpointFields = {
  url: textWithoutNul().trim().min(1, "is required").max(2048, "must be at most 2048 characters"),
  description: textWithoutNul().trim().max(500, "must be at most 500 characters").nullish(),
  /** Omitted or null: every event type. */
  event_types: z
    .array(eventTypeName)
    .min(1, "must name at least one event type; omit it to receive every type")
    .max(50)
    .nullish(),
  rate_limit_per_second: z
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(MAX_RATE_LIMIT_PER_SECOND, `must be at most ${MAX_RATE_LIMIT_PER_SECOND}`)
    .nullish(),
  enabled: z.boolean().optional(),
};

/** An endpoint as the data functions take it; an update gives only what changes. */
export type EndpointCreateInput = {
  url: string;
  description?: string | null;
  /** Null or omitted: every event type. */
  eventTypes?: WebhookEventType[] | null;
  rateLimitPerSecond?: number | null;
  enabled?: boolean;
  /** Operator callers only; null or omitted makes an operator endpoint (every organization). */
  organizationId?: string | null;
};
export type EndpointUpdateInput = Partial<Omit<EndpointCreateInput, "organizationId">>;

export const endpointCreateSchema = z
  .strictObject({
    ...endpointFields,
    organization_id: textWithoutNul().trim().min(1).max(100).nullish(),
  })
  .transform(
    (body): EndpointCreateInput => ({
      ...endpointInput(body),
      url: body.url,
      organizationId: body.organization_id,
    }),
  );

export const endpointUpdateSchema = z
  .strictObject(endpointFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, "must change at least one field")
  .transform(endpointInput);

function endpointInput(
  body: {
    [Key in keyof typeof endpointFields]?: z.output<(typeof endpointFields)[Key]>;
  },
): EndpointUpdateInput {
  return {
    url: body.url,
    description: body.description,
    eventTypes: body.event_types,
    rateLimitPerSecond: body.rate_limit_per_second,
    enabled: body.enabled,
  };
}

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
