import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import type { OrderTrackingSummary } from "~/models/order-trackings.server";
import { action, loader } from "~/routes/api.orders.$orderId.trackings";
import { callRoute } from "../support/routes";
import { embeddedFetchRequest, mintSessionToken, seedOfflineSession } from "../support/shopify";
import { TEST_APP_URL } from "../support/env";

// The admin order-details block's data: GET /api/orders/:orderId/trackings with the session
// token the extension's fetch carries, through the real authenticate.admin.

const shop = "order-block-shop.myshopify.com";
const otherShop = "order-block-other.myshopify.com";
const adminOrigin = "https://extensions.shopifycdn.com";

const fetchTrackings = (orderId: string, asShop = shop, headers: Record<string, string> = {}) =>
  callRoute(
    loader,
    embeddedFetchRequest(`/api/orders/${encodeURIComponent(orderId)}/trackings`, asShop, {
      headers: { origin: adminOrigin, ...headers },
    }),
    { orderId },
  );

async function seedTracking(fields: {
  shop?: string;
  orderId: string;
  trackingNumber: string;
  syncState?: string;
  manualStatus?: number;
}) {
  return prisma.tracking.create({
    data: {
      shop: fields.shop ?? shop,
      orderId: fields.orderId,
      orderName: `#${fields.orderId.slice(-4)}`,
      trackingNumber: fields.trackingNumber,
      carrierCode: "usps",
      status: "transit",
      carrierStatus: "transit",
      manualStatus: fields.manualStatus ?? null,
      lastEvent: "Departed USPS facility",
      syncState: fields.syncState ?? "synced",
    },
  });
}

beforeEach(async () => {
  await prisma.tracking.deleteMany();
  await seedOfflineSession(shop);
  await seedOfflineSession(otherShop);
});

describe("GET /api/orders/:orderId/trackings", () => {
  it("lists the order's trackings with statuses in words, a link to the app and CORS headers", async () => {
    const synced = await seedTracking({ orderId: "820001", trackingNumber: "9400111100000000000001" });
    const waiting = await seedTracking({
      orderId: "820001",
      trackingNumber: "9400111100000000000002",
      syncState: "waiting_api_key",
      manualStatus: 7,
    });
    await seedTracking({ orderId: "820002", trackingNumber: "9400111100000000000003" });
    await seedTracking({ orderId: "820001", trackingNumber: "9400111100000000000004", syncState: "deleted" });

    const response = await fetchTrackings("gid://shopify/Order/820001");
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const body = (await response.json()) as { orderId: string; trackings: OrderTrackingSummary[] };
    expect(body.orderId).toBe("820001");
    expect(body.trackings).toEqual([
      expect.objectContaining({
        id: synced.id,
        trackingNumber: "9400111100000000000001",
        carrierName: "USPS",
        status: "transit",
        statusLabel: "In transit",
        syncState: "synced",
        syncStateLabel: "Up to date",
        lastEvent: "Departed USPS facility",
        appPath: `/app/trackings/${synced.id}`,
      }),
      expect.objectContaining({
        id: waiting.id,
        status: "exception",
        statusLabel: "Exception",
        syncStateLabel: "Waiting for API key",
      }),
    ]);

    const numeric = (await (await fetchTrackings("820001")).json()) as { trackings: unknown[] };
    expect(numeric.trackings).toHaveLength(2);
  });

  it("never lists another shop's trackings for the same order id", async () => {
    await seedTracking({ shop: otherShop, orderId: "830001", trackingNumber: "OTHER0000001" });
    const response = await fetchTrackings("830001");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { trackings: unknown[] }).trackings).toEqual([]);

    const own = (await (await fetchTrackings("830001", otherShop)).json()) as {
      trackings: OrderTrackingSummary[];
    };
    expect(own.trackings.map((t) => t.trackingNumber)).toEqual(["OTHER0000001"]);
  });

  it("answers in the admin's language", async () => {
    await seedTracking({ orderId: "840001", trackingNumber: "ZH0000000001" });
    const response = await fetchTrackings("840001", shop, { "accept-language": "zh-CN,zh;q=0.9" });
    const body = (await response.json()) as { trackings: OrderTrackingSummary[] };
    expect(body.trackings[0].statusLabel).toBe("运输途中");
  });

  it("answers 404 to an id that is not an order id", async () => {
    const response = await fetchTrackings("not-an-order");
    expect(response.status).toBe(404);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("refuses a request without a valid session token", async () => {
    await seedTracking({ orderId: "850001", trackingNumber: "AUTH00000001" });
    const forged = new Request(`${TEST_APP_URL}/api/orders/850001/trackings`, {
      headers: {
        authorization: `Bearer ${mintSessionToken(shop, { apiSecret: "not-the-app-secret" })}`,
        origin: adminOrigin,
        "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36",
      },
    });
    const response = await callRoute(loader, forged, { orderId: "850001" });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain("AUTH00000001");
  });

  it("answers the CORS preflight the admin's browser sends", async () => {
    const preflight = new Request(`${TEST_APP_URL}/api/orders/1/trackings`, {
      method: "OPTIONS",
      headers: { origin: adminOrigin, "access-control-request-headers": "authorization" },
    });
    const response = await callRoute(action, preflight, { orderId: "1" });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toContain("Authorization");
  });
});
