import { describe, expect, it } from "vitest";
import prisma, { Prisma } from "~/db/client.server";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as customersDataRequest } from "~/routes/webhooks.customers.data_request";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { callRoute } from "../support/routes";
import { webhookRequest } from "../support/shopify";
import {
  deliver,
  drainPipeline,
  localTrackings,
  withPipelineEmulator,
  trackingsAtTrackingMore,
} from "../support/pipeline";
import { ADA, fulfillmentPayload } from "../../devkit/shopify";

const pipeline = withPipelineEmulator("privacy");

let sequence = 0;
async function shopWithTwoCustomers() {
  const shop = await pipeline.newShop();
  sequence += 1;
  const ada = fulfillmentPayload({ trackingNumbers: [`1ZADA${sequence}${Date.now() % 1e9}`] });
  const grace = fulfillmentPayload({
    trackingNumbers: [`1ZGRC${sequence}${Date.now() % 1e9}`],
    customer: {
      ...ADA,
      firstName: "Grace",
      lastName: "Hopper",
      email: "grace@example.com",
      phone: "+1 555 0100",
      country: "United States",
      countryCode: "US",
    },
  });
  await deliver("fulfillments/create", shop, ada);
  await deliver("fulfillments/create", shop, grace);
  await drainPipeline();
  return { shop, ada, grace };
}

describe("customers/redact", () => {
  it("removes the customer's name, email and phone here and at TrackingMore, and nobody else's", async () => {
    const { shop, ada, grace } = await shopWithTwoCustomers();
    const response = await callRoute(
      customersRedact,
      webhookRequest({
        topic: "customers/redact",
        shop,
        body: {
          shop_domain: shop,
          customer: { id: 1, email: "ada@example.com", phone: null },
          orders_to_redact: [ada.order_id],
        },
      }),
    );
    expect(response.status).toBe(200);
    await drainPipeline();

    const [adaRow, graceRow] = await Promise.all(
      [ada, grace].map((f) =>
        prisma.tracking.findFirstOrThrow({ where: { shop, trackingNumber: f.tracking_numbers[0] } }),
      ),
    );
    expect(adaRow).toMatchObject({
      customerName: null,
      customerEmail: null,
      customerPhone: null,
      syncState: "synced",
    });
    expect(graceRow).toMatchObject({ customerName: "Grace Hopper", customerEmail: "grace@example.com" });

    const remote = await trackingsAtTrackingMore(pipeline.current().client);
    const adaRemote = remote.find((t) => t.trackingNumber === ada.tracking_numbers[0]);
    const graceRemote = remote.find((t) => t.trackingNumber === grace.tracking_numbers[0]);
    expect(adaRemote?.customerName ?? null).toBeNull();
    expect(adaRemote?.customerEmail ?? null).toBeNull();
    expect(adaRemote?.customerPhone ?? null).toBeNull();
    expect(graceRemote?.customerName).toBe("Grace Hopper");
  });

  it("refuses a wrongly signed request and changes nothing", async () => {
    const { shop } = await shopWithTwoCustomers();
    const response = await callRoute(
      customersRedact,
      webhookRequest({
        topic: "customers/redact",
        shop,
        body: { customer: { email: "ada@example.com" } },
        apiSecret: "forged",
      }),
    );
    expect(response.status).toBe(401);
    expect((await localTrackings(shop)).every((t) => t.customerEmail)).toBe(true);
  });
});

describe("customers/data_request", () => {
  it("stores a report of what we hold on the customer, once per request", async () => {
    const { shop, grace } = await shopWithTwoCustomers();
    const body = {
      shop_domain: shop,
      customer: { id: 7, email: "grace@example.com", phone: "+1 555 0100" },
      orders_requested: [grace.order_id],
      data_request: { id: 9001 },
    };
    for (let i = 0; i < 2; i++) {
      const response = await callRoute(
        customersDataRequest,
        webhookRequest({ topic: "customers/data_request", shop, body }),
      );
      expect(response.status).toBe(200);
    }
    const reports = await prisma.customerDataReport.findMany({ where: { shop } });
    expect(reports).toHaveLength(1);
    const report = JSON.parse(reports[0].report);
    expect(report.trackings).toHaveLength(1);
    expect(report.trackings[0]).toMatchObject({
      trackingNumber: grace.tracking_numbers[0],
      customerName: "Grace Hopper",
    });
  });
});

describe("shop/redact", () => {
  it("deletes everything of the shop, idempotently, and leaves other shops alone", async () => {
    const first = await shopWithTwoCustomers();
    const other = await shopWithTwoCustomers();
    for (let i = 0; i < 2; i++) {
      const response = await callRoute(
        shopRedact,
        webhookRequest({ topic: "shop/redact", shop: first.shop, body: { shop_domain: first.shop } }),
      );
      expect(response.status).toBe(200);
    }
    const counts = await Promise.all([
      prisma.tracking.count({ where: { shop: first.shop } }),
      prisma.fulfillment.count({ where: { shop: first.shop } }),
      prisma.webhookDelivery.count({ where: { shop: first.shop } }),
      prisma.shopSettings.count({ where: { shop: first.shop } }),
      prisma.session.count({ where: { shop: first.shop } }),
      prisma.shop.count({ where: { domain: first.shop } }),
    ]);
    expect(counts).toEqual([0, 0, 0, 0, 0, 0]);
    // Every model that holds shop data, including ones added after this test was written.
    for (const model of Prisma.dmmf.datamodel.models) {
      const shopField = model.fields.find(
        (f) => f.name === "shop" || (model.name === "Shop" && f.name === "domain"),
      );
      if (!shopField) continue;
      const delegate = (prisma as unknown as Record<string, { count(args: object): Promise<number> }>)[
        model.name[0].toLowerCase() + model.name.slice(1)
      ];
      expect(await delegate.count({ where: { [shopField.name]: first.shop } }), model.name).toBe(0);
    }
    expect(await prisma.tracking.count({ where: { shop: other.shop } })).toBe(2);
  });
});
