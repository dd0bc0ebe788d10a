/**
 * What the endpoints page hands its client islands about one endpoint. Built field by field on
 * the server so the signing secret (a column of the same row) never reaches the browser unasked.
 */
export type EndpointSummary = {
  id: string;
  url: string;
  description: string | null;
  /** Null: every event type. */
  eventTypes: string[] | null;
  rateLimitPerSecond: number | null;
  enabled: boolean;
  /** Null: an operator endpoint, receiving every organization's events. */
  organizationId: string | null;
  /** As the table shows it: the organization's name, or "Every organization" for the operator's. */
  organizationName: string;
};

/** One entry of the event catalog, as the picker shows it. */
export type EventTypeOption = { type: string; description: string };

export type OrganizationChoice = { id: string; name: string };
