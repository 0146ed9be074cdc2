import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { msSinceIntake } from "~/lib/intake-pressure.server";
import { answerHotWebhook, MAX_WEBHOOK_BODY_BYTES } from "~/webhooks/fast-lane.server";
import { deliveryHeaders, fulfillmentPayload, signDelivery, signWebhookBody } from "../../devkit/shopify";
import { installShop } from "../support/pipeline";
import { TEST_API_SECRET } from "../support/env";
import { seedShop, seedTracking } from "../status/helpers";
import { signedPushBody, wireTracking } from "../../devkit/trackingmore-wire";

// The fast lane as scripts/serve.mjs mounts it: in front of everything else on a Node server.
// What it does not answer falls through to the next handler (Express and Remix in production).
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (answerHotWebhook(req, res)) return;
    res.statusCode = 404;
    res.end("fell through");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function postDelivery(
  shop: string,
  rawBody: string,
  options: { webhookId?: string; topic?: string; hmac?: string } = {},
) {
  const topic = options.topic ?? "fulfillments/create";
  const delivery = signDelivery(
    { topic, shop, body: rawBody, webhookId: options.webhookId },
    TEST_API_SECRET,
  );
  return fetch(`${origin}/webhooks/${topic}`, {
    method: "POST",
    headers: deliveryHeaders(options.hmac ? { ...delivery, hmac: options.hmac } : delivery),
    body: rawBody,
  });
}

describe("the webhook fast lane", () => {
  it("records a signed delivery once, as sent, before answering 200", async () => {
    const shop = "fast-lane-1.myshopify.com";
    await installShop(shop);
    const rawBody = JSON.stringify(fulfillmentPayload());
    const first = await postDelivery(shop, rawBody, { webhookId: "fast-1" });
    const again = await postDelivery(shop, rawBody, { webhookId: "fast-1" });

    expect([first.status, again.status]).toEqual([200, 200]);
    expect(first.headers.get("x-request-id")).toBe("fast-1");
    const rows = await prisma.webhookDelivery.findMany({ where: { shop } });
    expect(rows.map((r) => [r.webhookId, r.topic, r.payload, r.processedAt])).toEqual([
      ["fast-1", "fulfillments/create", rawBody, null],
    ]);
    expect(msSinceIntake()).toBeLessThan(60_000);
  });

  it("records every one of many simultaneous deliveries exactly once, repeats included", async () => {
    const shop = "fast-lane-2.myshopify.com";
    await installShop(shop);
    const bodies = Array.from({ length: 40 }, () => JSON.stringify(fulfillmentPayload()));
    const answers = await Promise.all([
      ...bodies.map((body, i) => postDelivery(shop, body, { webhookId: `burst-${i}` })),
      // Repeats in flight with their originals: one group commit may hold both.
      ...bodies.slice(0, 10).map((body, i) => postDelivery(shop, body, { webhookId: `burst-${i}` })),
    ]);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const rows = await prisma.webhookDelivery.findMany({ where: { shop }, orderBy: { webhookId: "asc" } });
    expect(rows.map((r) => r.webhookId).sort()).toEqual(bodies.map((_, i) => `burst-${i}`).sort());
  });

  it("answers 401 to a bad signature, 400 to malformed JSON and 413 to an oversized body, writing nothing", async () => {
    const shop = "fast-lane-3.myshopify.com";
    await installShop(shop);
    const rawBody = JSON.stringify(fulfillmentPayload());
    const forged = await postDelivery(shop, rawBody, { hmac: signWebhookBody(rawBody, "not-the-secret") });
    const malformed = await postDelivery(shop, '{"id": 1,');
    const oversized = await postDelivery(shop, JSON.stringify({ pad: "x".repeat(MAX_WEBHOOK_BODY_BYTES) }));

    expect([forged.status, malformed.status, oversized.status]).toEqual([401, 400, 413]);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
  });

  it("acknowledges and drops a delivery for a shop without a session", async () => {
    const shop = "fast-lane-uninstalled.myshopify.com";
    const answer = await postDelivery(shop, JSON.stringify(fulfillmentPayload()), { webhookId: "dropped-1" });
    expect(answer.status).toBe(200);
    const row = await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: "dropped-1" } });
    expect([row.outcome, row.payload]).toEqual(["dropped_uninstalled", null]);
  });

  it("answers TrackingMore's pushes: verified and kept, or refused", async () => {
    const email = "fast-lane@shop.example";
    const shop = "fast-lane-push.myshopify.com";
    await seedShop(shop, { email });
    await seedTracking(shop, "FASTPUSH01");
    const data = wireTracking({ trackingNumber: "FASTPUSH01", status: "transit" });
    const push = (body: string) => fetch(`${origin}/webhooks/trackingmore`, { method: "POST", body });

    const kept = await push(signedPushBody(email, data));
    const forged = await push(signedPushBody("someone-else@example.com", data));
    // A forged push is answered like a kept one (no oracle), and kept nowhere.
    expect([kept.status, await kept.json()]).toEqual([200, { result: "received" }]);
    expect([forged.status, await forged.json()]).toEqual([200, { result: "received" }]);
    expect(await prisma.trackingMorePush.count({ where: { trackingNumber: "FASTPUSH01" } })).toBe(1);
  });

  it("leaves every other request to the handler behind it", async () => {
    const other = await fetch(`${origin}/app/trackings`);
    const get = await fetch(`${origin}/webhooks/fulfillments/create`);
    const rareTopic = await fetch(`${origin}/webhooks/app/uninstalled`, { method: "POST", body: "{}" });
    for (const answer of [other, get, rareTopic]) {
      expect(answer.status).toBe(404);
      expect(await answer.text()).toBe("fell through");
    }
  });
});
