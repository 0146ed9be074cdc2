import { authenticate } from "~/shopify.server";
import { requestLogger } from "~/logger.server";
import { fulfillmentTopicOf, recordShopifyDelivery } from "~/models/fulfillments/inbox.server";

/**
 * `authenticate.webhook` with the two answers Shopify's library leaves out: a body that passes
 * the HMAC check but is not a JSON object is a 400 (the library would throw a 500), and every
 * delivery gets a logger carrying its webhook id.
 */
export async function verifyWebhook(request: Request) {
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof SyntaxError) {
      requestLogger(request).warn("webhook body is not valid JSON");
      throw new Response("Malformed JSON body", { status: 400 });
    }
    throw error;
  }
  const log = requestLogger(request, {
    shop: context.shop,
    topic: context.topic,
    webhookId: context.webhookId,
  });
  if (typeof context.payload !== "object" || context.payload === null || Array.isArray(context.payload)) {
    log.warn("webhook body is not a JSON object");
    throw new Response("Webhook body must be a JSON object", { status: 400 });
  }
  return { ...context, log };
}

/**
 * The three fulfillment topics share one answer: verify, record the delivery in the inbox (once
 * per webhook id), acknowledge. The ingest job does the rest, so TrackingMore is never on this
 * path.
 */
export async function receiveFulfillmentWebhook(request: Request): Promise<Response> {
  const { shop, topic, webhookId, eventId, triggeredAt, payload, session, log } =
    await verifyWebhook(request);
  const fulfillmentTopic = fulfillmentTopicOf(topic);
  if (!fulfillmentTopic) return new Response(`Unexpected topic ${topic}`, { status: 400 });
  const outcome = await recordShopifyDelivery({
    shop,
    topic: fulfillmentTopic,
    webhookId,
    eventId: eventId ?? null,
    triggeredAt: triggeredAt ?? null,
    payload,
    shopInstalled: Boolean(session),
  });
  if (outcome === "dropped_uninstalled") log.info("delivery dropped: the shop has no session (uninstalled)");
  else log.debug({ outcome }, "fulfillment delivery recorded");
  return new Response();
}
