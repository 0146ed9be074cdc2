import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import {
  LookupRateLimiter,
  STOREFRONT_LOOKUPS_PER_MINUTE,
  STOREFRONT_SHOP_LOOKUPS_PER_MINUTE,
  findParcelsForCustomer,
  tryStorefrontLookup,
} from "~/models/storefront-tracking.server";
import { action, loader } from "~/routes/proxy/route";
import { callRoute } from "../support/routes";
import { proxyRequest } from "./proxy-request";

const shop = "storefront-shop.myshopify.com";
const otherShop = "storefront-other.myshopify.com";
const email = "Ada.Lovelace@Example.com";

let ipCounter = 0;
/** Each test looks up from its own address, so the per-visitor limit of one never affects another. */
const freshIp = () => `198.51.100.${++ipCounter}`;

const lookup = (form: Record<string, string>, options: { shop?: string; ip?: string } = {}) =>
  callRoute(action, proxyRequest({ shop: options.shop ?? shop, form, ip: options.ip ?? freshIp() }));

async function seedParcel(fields: {
  shop?: string;
  orderName: string;
  trackingNumber: string;
  customerEmail?: string | null;
  carrierCode?: string;
  carrierStatus?: string;
  manualStatus?: number | null;
  checkpoints?: unknown[];
  syncState?: string;
}) {
  return prisma.tracking.create({
    data: {
      shop: fields.shop ?? shop,
      orderId: "5550001",
      orderName: fields.orderName,
      trackingNumber: fields.trackingNumber,
      carrierCode: fields.carrierCode ?? "usps",
      customerEmail: fields.customerEmail === undefined ? email : fields.customerEmail,
      status: fields.carrierStatus ?? "transit",
      carrierStatus: fields.carrierStatus ?? "transit",
      manualStatus: fields.manualStatus ?? null,
      lastEvent: "Arrived at USPS Regional Facility",
      lastEventAt: new Date("2026-11-20T10:00:00Z"),
      checkpoints: JSON.stringify(fields.checkpoints ?? []),
      syncState: fields.syncState ?? "synced",
    },
  });
}

beforeEach(async () => {
  await prisma.tracking.deleteMany();
});

describe("storefront tracking page (app proxy /proxy)", () => {
  it("shows the lookup form inside the theme for a correctly signed request", async () => {
    const response = await callRoute(loader, proxyRequest({ shop }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/liquid");
    const body = await response.text();
    expect(body).toContain("Track your order");
    // The library adds the trailing slash the proxy needs to the form's relative action.
    expect(body).toContain('action="/apps/trackbridge/"');
  });

  it("shows each parcel of the order when the order number and email match", async () => {
    await seedParcel({
      orderName: "#1001",
      trackingNumber: "9400111899223344556677",
      checkpoints: [
        {
          time: "2026-11-18T08:00:00.000Z",
          description: "Shipping label created",
          location: "Austin, TX",
          status: "transit",
          substatus: null,
          leg: "origin",
        },
        {
          time: "2026-11-20T10:00:00.000Z",
          description: "Arrived at USPS Regional Facility",
          location: "Dallas, TX",
          status: "transit",
          substatus: null,
          leg: "origin",
        },
      ],
    });
    // A merchant's manual "delivered" (4) wins over the carrier's status.
    await seedParcel({
      orderName: "#1001",
      trackingNumber: "1Z999AA10123456784",
      carrierCode: "ups",
      manualStatus: 4,
    });

    // "1001" without the hash, and the email in another case, still find the order.
    const response = await lookup({ order: "1001", email: "ada.lovelace@example.COM" });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain("9400111899223344556677");
    expect(body).toContain("1Z999AA10123456784");
    expect(body).toContain("USPS");
    expect(body).toContain("UPS");
    expect(body).toContain('data-status="transit">In transit');
    expect(body).toContain('data-status="delivered">Delivered');
    expect(body).toContain("Arrived at USPS Regional Facility");
    // Timeline newest first.
    expect(body.indexOf("Dallas, TX")).toBeLessThan(body.indexOf("Austin, TX"));
    expect(body).not.toContain("No parcels found");
  });

  it("answers a wrong email with the neutral not-found and no parcel data", async () => {
    await seedParcel({ orderName: "#1002", trackingNumber: "9400100000000000000002" });
    const body = await (await lookup({ order: "#1002", email: "someone.else@example.com" })).text();
    expect(body).toContain("No parcels found for that order and email.");
    expect(body).not.toContain("9400100000000000000002");
    expect(body).not.toContain("Arrived at USPS");

    // Exactly the answer an order that does not exist gets, so nothing is revealed.
    const unknown = await (await lookup({ order: "#424242", email: "someone.else@example.com" })).text();
    expect(unknown.replace("424242", "1002")).toBe(body);
  });

  it("never shows another shop's order, even with the right number and email", async () => {
    await seedParcel({ shop: otherShop, orderName: "#1003", trackingNumber: "9400100000000000000003" });
    const body = await (await lookup({ order: "#1003", email })).text();
    expect(body).toContain("No parcels found for that order and email.");
    expect(body).not.toContain("9400100000000000000003");

    const asOtherShop = await (await lookup({ order: "#1003", email }, { shop: otherShop })).text();
    expect(asOtherShop).toContain("9400100000000000000003");
  });

  it("leaves out parcels being deleted and rows without an email", async () => {
    await seedParcel({ orderName: "#1004", trackingNumber: "KEEP0000001" });
    await seedParcel({ orderName: "#1004", trackingNumber: "GONE0000001", syncState: "pending_delete" });
    await seedParcel({ orderName: "#1004", trackingNumber: "NOMAIL00001", customerEmail: null });
    const parcels = await findParcelsForCustomer(shop, { orderNumber: "#1004", email });
    expect(parcels.map((p) => p.trackingNumber)).toEqual(["KEEP0000001"]);
  });

  it("escapes carrier text for HTML and Liquid", async () => {
    await seedParcel({
      orderName: "#1005",
      trackingNumber: "ESC0000001",
      checkpoints: [
        {
          time: "2026-11-20T10:00:00.000Z",
          description: "<script>x</script> {{ shop.email }}",
          location: null,
        },
      ],
    });
    const body = await (await lookup({ order: "#1005", email })).text();
    expect(body).toContain("&lt;script&gt;x&lt;/script&gt; &#123;&#123; shop.email &#125;&#125;");
    expect(body).not.toContain("{{ shop.email }}");
  });

  it("answers 400 to a bad signature, a foreign secret or a stale timestamp", async () => {
    await seedParcel({ orderName: "#1006", trackingNumber: "SIG0000001" });
    const tampered = proxyRequest({ shop, form: { order: "#1006", email }, ip: freshIp() });
    const url = new URL(tampered.url);
    url.searchParams.set("shop", otherShop);
    const forged = new Request(url, {
      method: "POST",
      headers: tampered.headers,
      body: await tampered.text(),
    });
    expect((await callRoute(action, forged)).status).toBe(400);

    const wrongSecret = proxyRequest({ shop, form: { order: "#1006", email }, secret: "not-the-secret" });
    expect((await callRoute(action, wrongSecret)).status).toBe(400);
    expect((await callRoute(loader, proxyRequest({ shop, secret: "not-the-secret" }))).status).toBe(400);

    const stale = proxyRequest({ shop, timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect((await callRoute(loader, stale)).status).toBe(400);
  });

  it("stops answering lookups from one visitor after the per-minute limit", async () => {
    await seedParcel({ orderName: "#1007", trackingNumber: "RATE000001" });
    const ip = freshIp();
    for (let i = 0; i < STOREFRONT_LOOKUPS_PER_MINUTE; i += 1) {
      const body = await (await lookup({ order: `#9${i}`, email: "guess@example.com" }, { ip })).text();
      expect(body).toContain("No parcels found");
    }
    const limited = await (await lookup({ order: "#1007", email }, { ip })).text();
    expect(limited).toContain("Too many lookups");
    expect(limited).not.toContain("RATE000001");

    // Another visitor, and the same visitor at another shop, are counted separately.
    expect(await (await lookup({ order: "#1007", email })).text()).toContain("RATE000001");
    expect(await (await lookup({ order: "#1007", email }, { shop: otherShop, ip })).text()).toContain(
      "No parcels found",
    );
  });

  it("answers in Simplified Chinese when the storefront asks for it", async () => {
    const request = proxyRequest({ shop, headers: { "accept-language": "zh-CN,zh;q=0.9" } });
    expect(await (await callRoute(loader, request)).text()).toContain("查询订单物流");
    const byParam = proxyRequest({ shop, extraParams: { locale: "zh-CN" } });
    expect(await (await callRoute(loader, byParam)).text()).toContain("查询订单物流");
  });
});

describe("LookupRateLimiter", () => {
  it("caps a shop's lookups even when every request claims another address", () => {
    const ceilingShop = "ceiling-shop.myshopify.com";
    for (let i = 0; i < STOREFRONT_SHOP_LOOKUPS_PER_MINUTE; i += 1) {
      expect(tryStorefrontLookup(ceilingShop, `10.0.${i >> 8}.${i & 255}`)).toBe(true);
    }
    expect(tryStorefrontLookup(ceilingShop, "10.9.9.9")).toBe(false);
    expect(tryStorefrontLookup("another-ceiling-shop.myshopify.com", "10.9.9.9")).toBe(true);
  });

  it("opens a new window once the old one has passed", () => {
    let now = 0;
    const limiter = new LookupRateLimiter({ limit: 2, windowMs: 60_000, now: () => now });
    expect([limiter.tryAcquire("k"), limiter.tryAcquire("k"), limiter.tryAcquire("k")]).toEqual([
      true,
      true,
      false,
    ]);
    now = 59_999;
    expect(limiter.tryAcquire("k")).toBe(false);
    now = 60_000;
    expect(limiter.tryAcquire("k")).toBe(true);
  });
});
