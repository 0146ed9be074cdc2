import { createHmac, randomUUID } from "node:crypto";

// Webhook deliveries signed and addressed as Shopify sends them: tests post them to the webhook
// routes in process, the demo and the ingest benchmark over HTTP.

export const WEBHOOK_API_VERSION = "2026-10";

/** Shopify's webhook signature: base64 HMAC-SHA256 of the raw body, keyed with the app's secret. */
export function signWebhookBody(rawBody: string, apiSecret: string): string {
  return createHmac("sha256", apiSecret).update(rawBody, "utf8").digest("base64");
}

export interface SignedDelivery {
  topic: string; // "fulfillments/create"
  shop: string;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
  apiVersion: string;
  /** The raw body, exactly as signed. */
  body: string;
  hmac: string;
}

export interface DeliveryInput {
  topic: string;
  shop: string;
  /** An object (sent as JSON) or a raw string sent as is. */
  body: unknown;
  webhookId?: string;
  eventId?: string;
  apiVersion?: string;
}

export function signDelivery(input: DeliveryInput, apiSecret: string): SignedDelivery {
  const body = typeof input.body === "string" ? input.body : JSON.stringify(input.body);
  return {
    topic: input.topic,
    shop: input.shop,
    webhookId: input.webhookId ?? randomUUID(),
    eventId: input.eventId ?? randomUUID(),
    triggeredAt: new Date().toISOString(),
    apiVersion: input.apiVersion ?? WEBHOOK_API_VERSION,
    body,
    hmac: signWebhookBody(body, apiSecret),
  };
}

/** The headers Shopify sends with a delivery. */
export function deliveryHeaders(delivery: SignedDelivery): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-shopify-topic": delivery.topic,
    "x-shopify-shop-domain": delivery.shop,
    "x-shopify-api-version": delivery.apiVersion,
    "x-shopify-webhook-id": delivery.webhookId,
    "x-shopify-event-id": delivery.eventId,
    "x-shopify-triggered-at": delivery.triggeredAt,
    "x-shopify-hmac-sha256": delivery.hmac,
  };
}

/** The delivery as a POST to `${appUrl}/webhooks/<topic>`. */
export function deliveryRequest(appUrl: string, delivery: SignedDelivery): Request {
  return new Request(new URL(`/webhooks/${delivery.topic}`, appUrl), {
    method: "POST",
    headers: deliveryHeaders(delivery),
    body: delivery.body,
  });
}
