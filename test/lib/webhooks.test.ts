import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { verifyShopifyWebhook, webhookRequestOf, WebhookRejection } from "~/webhooks/webhooks.server";
import { seedOfflineSession, webhookRequest } from "../support/shopify";
import { TEST_API_KEY, TEST_API_SECRET } from "../support/env";

// TrackBridge verifies Shopify's webhooks itself (app/lib/webhooks.server.ts explains why);
// these tests hold that check to the library's own `webhooks.validate` on the same requests.
const library = shopifyApi({
  apiKey: TEST_API_KEY,
  apiSecretKey: TEST_API_SECRET,
  apiVersion: ApiVersion.October26,
  hostName: "trackbridge.test",
  isEmbeddedApp: true,
  logger: { log: () => {} },
});

async function bothVerdicts(request: Request) {
  const libraryVerdict = await library.webhooks.validate({
    rawBody: await request.clone().text(),
    rawRequest: request.clone(),
  });
  const ours = await verifyShopifyWebhook(await webhookRequestOf(request)).then(
    (webhook) => ({ valid: true as const, shop: webhook.shop, webhookId: webhook.webhookId }),
    (error: unknown) => {
      if (error instanceof WebhookRejection) return { valid: false as const, status: error.status };
      throw error;
    },
  );
  return { library: libraryVerdict, ours };
}

const shop = "verify.myshopify.com";
const body = { id: 4_950_000_001, order_id: 5_900_000_001, tracking_numbers: ["1Z999AA10000000001"] };

describe("verifyShopifyWebhook agrees with Shopify's library", () => {
  it("accepts what the library accepts, with the same shop and webhook id", async () => {
    const { library: theirs, ours } = await bothVerdicts(
      webhookRequest({ topic: "fulfillments/create", shop, body, webhookId: "agree-1" }),
    );
    expect(theirs.valid).toBe(true);
    expect(ours).toEqual({ valid: true, shop, webhookId: "agree-1" });
  });

  it("refuses what the library refuses: another secret, a changed body, a missing header", async () => {
    const otherSecret = webhookRequest({ topic: "fulfillments/create", shop, body, apiSecret: "not-ours" });
    const signed = webhookRequest({ topic: "fulfillments/create", shop, body });
    const changedBody = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: JSON.stringify({ ...body, id: 1 }),
    });
    const withoutTopic = webhookRequest({ topic: "fulfillments/create", shop, body });
    withoutTopic.headers.delete("x-shopify-topic");

    for (const [request, status] of [
      [otherSecret, 401],
      [changedBody, 401],
      [withoutTopic, 400],
    ] as const) {
      const { library: theirs, ours } = await bothVerdicts(request);
      expect(theirs.valid).toBe(false);
      expect(ours).toEqual({ valid: false, status });
    }
  });
});

describe("verifyShopifyWebhook", () => {
  it("loads the shop's offline session, and none for a shop without one", async () => {
    await seedOfflineSession(shop);
    const installed = await verifyShopifyWebhook(
      await webhookRequestOf(webhookRequest({ topic: "fulfillments/create", shop, body })),
    );
    expect(installed.session?.id).toBe(`offline_${shop}`);
    expect(installed.payload).toEqual(body);
    const stranger = await verifyShopifyWebhook(
      await webhookRequestOf(
        webhookRequest({ topic: "fulfillments/create", shop: "stranger.myshopify.com", body }),
      ),
    );
    expect(stranger.session).toBeUndefined();
  });

  it("answers 405 to anything but POST and 400 to a signed body that is not a JSON object", async () => {
    const refusal = (request: Request) =>
      webhookRequestOf(request)
        .then(verifyShopifyWebhook)
        .then(
          () => null,
          (error: WebhookRejection) => error.status,
        );
    const signed = webhookRequest({ topic: "fulfillments/create", shop, body });
    expect(await refusal(new Request(signed.url, { method: "GET", headers: signed.headers }))).toBe(405);
    expect(await refusal(webhookRequest({ topic: "fulfillments/create", shop, body: "[1, 2]" }))).toBe(400);
    expect(await refusal(webhookRequest({ topic: "fulfillments/create", shop, body: '{"id": 1,' }))).toBe(
      400,
    );
  });
});
