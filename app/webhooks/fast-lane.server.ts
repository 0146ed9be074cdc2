import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { logger, logRequestServed } from "~/logger.server";
import { BodyTooLargeError, MAX_REQUEST_BODY_BYTES, refuseOversizeBody } from "~/lib/body-limit.server";
import { noteIntake } from "~/lib/intake-pressure.server";
import {
  receiveFulfillmentDelivery,
  receiveTrackingMoreWebhook,
  type WebhookAnswer,
  type WebhookRequest,
} from "./webhooks.server";

// The webhooks that come in bursts (a merchant fulfilling hundreds of orders, TrackingMore
// pushing a day's scans) are answered straight from Node's HTTP server, ahead of Express and
// Remix, whose request handling costs more than the webhook's whole work here. The answers are
// the same functions the Remix routes for these paths call (webhooks.server.ts), so either way
// a delivery is verified and recorded durably before its 200.

const HOT_WEBHOOKS: Record<string, (request: WebhookRequest) => Promise<WebhookAnswer>> = {
  "/webhooks/fulfillments/create": receiveFulfillmentDelivery,
  "/webhooks/fulfillments/update": receiveFulfillmentDelivery,
  "/webhooks/orders/fulfilled": receiveFulfillmentDelivery,
  "/webhooks/trackingmore": receiveTrackingMoreWebhook,
};

/** Shopify caps webhook bodies well below this; anything larger is not a webhook of ours. */
export const MAX_WEBHOOK_BODY_BYTES = MAX_REQUEST_BODY_BYTES;

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Answers a POST to one of the hot webhook paths and returns true; returns false, touching
 * nothing, for every other request (Express and Remix answer those).
 */
export function answerHotWebhook(request: IncomingMessage, response: ServerResponse): boolean {
  const url = request.url ?? "";
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  const receive = HOT_WEBHOOKS[path];
  if (!receive || request.method !== "POST") return false;

  const startedAt = process.hrtime.bigint();
  noteIntake();
  const requestId =
    headerOf(request, "x-request-id") || headerOf(request, "x-shopify-webhook-id") || randomUUID();
  const send = (answer: WebhookAnswer) => {
    response.statusCode = answer.status;
    response.setHeader("x-request-id", requestId);
    if (answer.contentType) response.setHeader("content-type", answer.contentType);
    if (answer.retryAfter !== undefined) response.setHeader("retry-after", String(answer.retryAfter));
    response.end(answer.body);
    logRequestServed({ requestId, method: "POST", path, status: answer.status, startedAt });
  };

  // Oversize bodies are refused while they stream (a declared length before any byte is read);
  // the answer and the dropped connection are refuseOversizeBody's.
  if (refuseOversizeBody(request, response, MAX_WEBHOOK_BODY_BYTES)) {
    logRequestServed({ requestId, method: "POST", path, status: 413, startedAt });
    return true;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  request.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_WEBHOOK_BODY_BYTES) chunks.push(chunk);
  });
  request.on("error", (error) => {
    if (!(error instanceof BodyTooLargeError))
      logger.warn({ err: error, requestId, path }, "webhook request failed");
  });
  request.on("end", () => {
    if (size > MAX_WEBHOOK_BODY_BYTES) return;
    const webhook: WebhookRequest = {
      method: "POST",
      header: (name) => (name === "x-request-id" ? requestId : headerOf(request, name)),
      rawBody: Buffer.concat(chunks, size),
    };
    receive(webhook).then(send, (error: unknown) => {
      // Not recorded: a 500 makes the sender deliver again later.
      logger.error({ err: error, requestId, path }, "webhook failed");
      send({ status: 500, body: "Internal error" });
    });
  });
  request.resume();
  return true;
}
