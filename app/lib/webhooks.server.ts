import { authenticate } from "~/shopify.server";
import { requestLogger } from "~/logger.server";

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
