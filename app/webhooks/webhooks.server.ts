import { createHmac, timingSafeEqual } from "node:crypto";
import type { Session } from "@shopify/shopify-api";
import { appConfig } from "~/config.server";
import { CallQueueFullError } from "~/lib/batched-calls.server";
import { readBoundedBody } from "~/lib/body-limit.server";
import { logger, type Logger } from "~/logger.server";
import { sessionStorage } from "~/shopify.server";
import { fulfillmentTopicOf, recordShopifyDelivery } from "~/pipeline/ingest/inbox.server";
import { receiveTrackingMorePush } from "~/pipeline/push-apply/push.server";

// Every webhook we receive, Shopify's and TrackingMore's, as one plain shape: the Remix routes
// and the fast lane in front of Remix (webhook-fast-lane.server.ts) hand their request over as a
// WebhookRequest and send back the WebhookAnswer, so both answer exactly alike.
//
// Shopify's deliveries are verified here rather than with `authenticate.webhook`: the same
// checks (POST only, Shopify's required headers, HMAC-SHA256 of the raw body keyed by the app's
// secret, the offline session by `offline_<shop>`), at a fraction of the library's cost —
// measured at 0.56–0.70 ms a delivery, mostly re-canonicalising every header name on each
// lookup, against a 25 ms p99 budget at 32 deliveries in flight on two cores.
// test/lib/webhooks.test.ts holds these checks to the library's own `webhooks.validate`.

export interface WebhookRequest {
  method: string;
  /** A header's value by its lower-case name. */
  header(name: string): string | undefined;
  /** The body exactly as sent: Shopify's signature covers these bytes, not their decoding. */
  rawBody: Buffer;
}

export interface WebhookAnswer {
  status: number;
  body?: string;
  contentType?: string;
  /** Seconds, with a 503: when to deliver again. */
  retryAfter?: number;
}

/** A webhook refused before any change: the status and a message for the sender. */
export class WebhookRejection extends Error {
  constructor(
    readonly status: 400 | 401 | 405,
    message: string,
  ) {
    super(message);
    this.name = "WebhookRejection";
  }
}

/** The headers Shopify's library requires of a webhook (its WEBHOOK_HEADER_NAMES). */
const REQUIRED_HEADERS = {
  hmac: "x-shopify-hmac-sha256",
  topic: "x-shopify-topic",
  shop: "x-shopify-shop-domain",
  apiVersion: "x-shopify-api-version",
  webhookId: "x-shopify-webhook-id",
} as const;

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+$/i;

export interface VerifiedShopifyWebhook {
  shop: string;
  /** As Shopify names it in the header: "fulfillments/create". */
  topic: string;
  webhookId: string;
  apiVersion: string;
  eventId: string | null;
  triggeredAt: string | null;
  payload: Record<string, unknown>;
  /** The body decoded as UTF-8 (what the inbox keeps). */
  text: string;
  /** The shop's offline session; undefined when the app is not installed there. */
  session: Session | undefined;
  log: Logger;
}

export function isShopifySignatureValid(rawBody: Buffer, signature: string, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Verifies a Shopify webhook and loads its shop's offline session. Throws WebhookRejection:
 * 405 for anything but POST, 400 for missing headers or a body that is not a JSON object, 401
 * for a signature that does not verify.
 */
export async function verifyShopifyWebhook(request: WebhookRequest): Promise<VerifiedShopifyWebhook> {
  if (request.method !== "POST") throw new WebhookRejection(405, "Webhooks are POST requests");
  const headers = {} as Record<keyof typeof REQUIRED_HEADERS, string>;
  const missing: string[] = [];
  for (const [field, name] of Object.entries(REQUIRED_HEADERS) as [keyof typeof REQUIRED_HEADERS, string][]) {
    const value = request.header(name);
    if (value) headers[field] = value;
    else missing.push(name);
  }
  const requestId = request.header("x-request-id") ?? headers.webhookId;
  if (missing.length > 0) {
    logger.warn({ requestId, missing }, "webhook refused: missing headers");
    throw new WebhookRejection(400, `Missing headers: ${missing.join(", ")}`);
  }
  if (!isShopifySignatureValid(request.rawBody, headers.hmac, appConfig().shopifyApiSecret)) {
    logger.warn({ requestId, shop: headers.shop, topic: headers.topic }, "webhook refused: bad HMAC");
    throw new WebhookRejection(401, "HMAC validation failed");
  }
  // Made when first used: most deliveries log nothing, and a child logger is not free.
  let child: Logger | undefined;
  const log = () =>
    (child ??= logger.child({
      requestId,
      shop: headers.shop,
      topic: headers.topic,
      webhookId: headers.webhookId,
    }));
  if (!SHOP_DOMAIN.test(headers.shop)) {
    log().warn("webhook refused: the shop domain is not a domain");
    throw new WebhookRejection(400, "X-Shopify-Shop-Domain is not a shop domain");
  }
  const text = request.rawBody.toString("utf8");
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    log().warn("webhook body is not valid JSON");
    throw new WebhookRejection(400, "Malformed JSON body");
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    log().warn("webhook body is not a JSON object");
    throw new WebhookRejection(400, "Webhook body must be a JSON object");
  }
  return {
    shop: headers.shop,
    topic: headers.topic,
    webhookId: headers.webhookId,
    apiVersion: headers.apiVersion,
    eventId: request.header("x-shopify-event-id") ?? null,
    triggeredAt: request.header("x-shopify-triggered-at") ?? null,
    payload: payload as Record<string, unknown>,
    text,
    session: await sessionStorage.loadSession(`offline_${headers.shop}`),
    get log() {
      return log();
    },
  };
}

/**
 * A Fetch API request (what Remix hands a route) as a WebhookRequest; a body over the limit is
 * refused with 413 while it streams (readBoundedBody throws the Response).
 */
export async function webhookRequestOf(request: Request): Promise<WebhookRequest> {
  const rawBody = await readBoundedBody(request);
  return { method: request.method, header: (name) => request.headers.get(name) ?? undefined, rawBody };
}

export function responseOf(answer: WebhookAnswer): Response {
  const headers = new Headers();
  if (answer.contentType) headers.set("content-type", answer.contentType);
  if (answer.retryAfter !== undefined) headers.set("retry-after", String(answer.retryAfter));
  return new Response(answer.body ?? null, { status: answer.status, headers });
}

function rejectionAnswer(error: unknown): WebhookAnswer {
  if (error instanceof WebhookRejection) return { status: error.status, body: error.message };
  throw error;
}

/**
 * Too many writes already waiting (the database is behind): refused before anything is kept,
 * with 503 and Retry-After, which Shopify and TrackingMore retry.
 */
function busyAnswer(error: unknown): WebhookAnswer {
  if (!(error instanceof CallQueueFullError)) throw error;
  logger.warn({ limit: error.limit }, "webhook refused: too many writes waiting (503)");
  return { status: 503, body: "Busy, deliver again later", retryAfter: error.retryAfterSeconds };
}

/** For the Remix webhook routes: verifies, or throws the refusal as a Response. */
export async function verifyWebhook(request: Request): Promise<VerifiedShopifyWebhook> {
  try {
    return await verifyShopifyWebhook(await webhookRequestOf(request));
  } catch (error) {
    throw responseOf(rejectionAnswer(error));
  }
}

/**
 * The three fulfillment topics share one answer: verify, record the delivery in the inbox (once
 * per webhook id), acknowledge. The ingest job does the rest, so TrackingMore is never on this
 * path.
 */
export async function receiveFulfillmentDelivery(request: WebhookRequest): Promise<WebhookAnswer> {
  let webhook: VerifiedShopifyWebhook;
  try {
    webhook = await verifyShopifyWebhook(request);
  } catch (error) {
    return rejectionAnswer(error);
  }
  const topic = fulfillmentTopicOf(webhook.topic);
  if (!topic) return { status: 400, body: `Unexpected topic ${webhook.topic}` };
  let outcome;
  try {
    outcome = await recordShopifyDelivery({
      shop: webhook.shop,
      topic,
      webhookId: webhook.webhookId,
      eventId: webhook.eventId,
      triggeredAt: webhook.triggeredAt,
      rawPayload: webhook.text,
      shopInstalled: Boolean(webhook.session),
    });
  } catch (error) {
    return busyAnswer(error);
  }
  if (outcome === "dropped_uninstalled")
    webhook.log.info("delivery dropped: the shop has no session (uninstalled)");
  else if (logger.isLevelEnabled("debug")) webhook.log.debug({ outcome }, "fulfillment delivery recorded");
  return { status: 200 };
}

/** The Remix action of the fulfillment webhook routes. */
export async function receiveFulfillmentWebhook(request: Request): Promise<Response> {
  return responseOf(await receiveFulfillmentDelivery(await webhookRequestOf(request)));
}

/**
 * TrackingMore's status pushes (one URL for every shop; signed with the account email, not by
 * Shopify). The model verifies, finds the shops and records the push before we answer; the
 * apply-trackingmore-pushes job stores the status.
 */
export async function receiveTrackingMoreWebhook(request: WebhookRequest): Promise<WebhookAnswer> {
  if (request.method !== "POST") return { status: 405, body: "TrackingMore pushes are POST requests" };
  let result;
  try {
    result = await receiveTrackingMorePush(request.rawBody.toString("utf8"));
  } catch (error) {
    return busyAnswer(error);
  }
  // Every well-formed push gets the same answer, whatever became of it (push.server.ts).
  return {
    status: result.httpStatus,
    body: JSON.stringify({ result: result.httpStatus === 200 ? "received" : result.result }),
    contentType: "application/json",
  };
}
