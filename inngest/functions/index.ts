import { deliverWebhook } from "./deliver-webhook";
import { redispatchWebhookDeliveries } from "./redispatch-webhook-deliveries";

/** Every function the app serves at /api/inngest. */
export const functions = [deliverWebhook, redispatchWebhookDeliveries];
