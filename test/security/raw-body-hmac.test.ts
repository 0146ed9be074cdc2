import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { answerHotWebhook } from "~/webhooks/fast-lane.server";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { TEST_API_SECRET, TEST_APP_URL } from "../support/env";
import { installShop } from "../support/pipeline";
import { callRoute } from "../support/routes";

// Shopify signs the bytes it sends. A body that is not valid UTF-8 (a truncated multi-byte
// character in a note) must verify when signed correctly: decoding first and signing the
// decoded text again gives other bytes (U+FFFD), and a genuine delivery would be refused.
const shop = "raw-bytes.myshopify.com";
const signBytes = (body: Buffer, secret = TEST_API_SECRET) =>
  createHmac("sha256", secret).update(body).digest("base64");

function bodyWithInvalidUtf8(fields: Record<string, unknown>): Buffer {
  const json = JSON.stringify({ ...fields, note: "__BYTES__" });
  const [before, after] = json.split("__BYTES__");
  return Buffer.concat([Buffer.from(before), Buffer.from([0x63, 0x61, 0x66, 0xc3]), Buffer.from(after)]);
}

function headersFor(topic: string, body: Buffer, webhookId: string, hmac = signBytes(body)) {
  return {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-shop-domain": shop,
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": webhookId,
    "x-shopify-hmac-sha256": hmac,
  };
}

let server: Server;
let origin: string;
beforeAll(async () => {
  await installShop(shop);
  server = createServer((req, res) => {
    if (!answerHotWebhook(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("Shopify's HMAC over the raw body bytes", () => {
  it("accepts a correctly signed fulfillment delivery whose body is not valid UTF-8 (fast lane)", async () => {
    const body = bodyWithInvalidUtf8({ id: 7_000_001, order_id: 8_000_001, tracking_numbers: [] });
    const answer = await fetch(`${origin}/webhooks/fulfillments/create`, {
      method: "POST",
      headers: headersFor("fulfillments/create", body, "raw-bytes-1"),
      body: new Uint8Array(body),
    });
    expect(answer.status).toBe(200);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "raw-bytes-1" } })).toBe(1);

    const forged = await fetch(`${origin}/webhooks/fulfillments/create`, {
      method: "POST",
      headers: headersFor("fulfillments/create", body, "raw-bytes-2", signBytes(body, "not-the-secret")),
      body: new Uint8Array(body),
    });
    expect(forged.status).toBe(401);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "raw-bytes-2" } })).toBe(0);
  });

  it("accepts a correctly signed compliance webhook whose body is not valid UTF-8 (Remix route)", async () => {
    const body = bodyWithInvalidUtf8({ shop_domain: shop, customer: { id: 1, email: "nobody@example.com" } });
    const request = new Request(`${TEST_APP_URL}/webhooks/customers/redact`, {
      method: "POST",
      headers: headersFor("customers/redact", body, "raw-bytes-3"),
      body: new Uint8Array(body),
    });
    expect((await callRoute(customersRedact, request)).status).toBe(200);
  });
});
