import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import type { CustomerParcel } from "~/models/customer-order-trackings.server";
import { action, loader } from "~/routes/api.customer.orders.$orderId.trackings";
import { callRoute } from "../support/routes";
import { interceptAdminGraphql, type GraphqlCall } from "../support/shopify-api-mock";
import { mintSessionToken, seedOfflineSession } from "../support/shopify";
import { TEST_APP_URL } from "../support/env";

// The customer-account block's data: GET /api/customer/orders/:orderId/trackings with the
// extension's session token, through the real authenticate.public.customerAccount; Shopify's
// Admin API (whose order it is) intercepted.

const shop = "customer-block-shop.myshopify.com";
const otherShop = "customer-block-other.myshopify.com";
const origin = "https://shop.example.com";
const ada = "gid://shopify/Customer/7001";
const bob = "gid://shopify/Customer/7002";
const ORDER = "5905126375613";

function request(orderId: string, token: string, method = "GET") {
  return new Request(`${TEST_APP_URL}/api/customer/orders/${orderId}/trackings?locale=zh-CN`, {
    method,
    headers: { authorization: `Bearer ${token}`, origin },
  });
}

const fetchParcels = (orderId: string, customer: string, asShop = shop) =>
  callRoute(loader, request(orderId, mintSessionToken(asShop, { userId: customer })), { orderId });

/** Shopify's answer: the order belongs to Ada in the first shop only. */
function answerOrder(call: GraphqlCall) {
  const owner = call.shop === shop && call.variables.id === `gid://shopify/Order/${ORDER}` ? ada : bob;
  return { data: { order: { id: call.variables.id, customer: { id: owner } } } };
}

beforeAll(() => {
  setAbstractFetchFunc((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
});

beforeEach(async () => {
  await prisma.tracking.deleteMany();
  await seedOfflineSession(shop);
  await seedOfflineSession(otherShop);
  for (const [s, number] of [
    [shop, "YT2412345678901234"],
    [otherShop, "YT9999999999999999"],
  ] as const) {
    await prisma.tracking.create({
      data: {
        shop: s,
        orderId: ORDER,
        trackingNumber: number,
        carrierCode: "yunexpress",
        status: "transit",
        carrierStatus: "transit",
        lastEvent: "Arrived at destination country",
        estimatedDeliveryAt: new Date("2026-12-04T00:00:00Z"),
        customerEmail: "ada@example.com",
        syncState: "synced",
      },
    });
  }
});

describe("GET /api/customer/orders/:orderId/trackings", () => {
  it("answers the order's own customer with its parcels in the buyer's language, with CORS", async () => {
    const calls = interceptAdminGraphql(answerOrder);
    const response = await fetchParcels(ORDER, ada);
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const body = (await response.json()) as { parcels: CustomerParcel[] };
    expect(body.parcels).toEqual([
      {
        trackingNumber: "YT2412345678901234",
        carrierName: expect.any(String),
        status: "transit",
        statusLabel: "运输途中",
        lastEvent: "Arrived at destination country",
        lastEventAt: null,
        estimatedDeliveryAt: "2026-12-04T00:00:00.000Z",
      },
    ]);
    expect(calls.map((c) => [c.shop, c.variables.id])).toEqual([[shop, `gid://shopify/Order/${ORDER}`]]);
    // Customer data the block does not show never leaves the app.
    expect(JSON.stringify(body)).not.toContain("ada@example.com");
  });

  it("answers 404 to another customer, and another shop's customer never sees this shop's parcels", async () => {
    interceptAdminGraphql(answerOrder);
    expect((await fetchParcels(ORDER, bob)).status).toBe(404);
    expect((await fetchParcels(ORDER, ada, otherShop)).status).toBe(404);
    expect((await fetchParcels("not-a-number", ada)).status).toBe(404);
  });

  it("refuses a token not signed with the app's secret", async () => {
    const calls = interceptAdminGraphql(answerOrder);
    const forged = mintSessionToken(shop, { userId: ada, apiSecret: "not-the-secret" });
    const response = await callRoute(loader, request(ORDER, forged), { orderId: ORDER });
    expect(response.status).toBe(401);
    expect(calls).toEqual([]);
  });

  it("answers the CORS preflight", async () => {
    const preflight = new Request(`${TEST_APP_URL}/api/customer/orders/${ORDER}/trackings`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "GET" },
    });
    const response = await callRoute(action, preflight, { orderId: ORDER });
    expect(response.status).toBe(204);
  });
});
