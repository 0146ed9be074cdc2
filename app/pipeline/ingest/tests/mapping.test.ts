import { describe, expect, it } from "vitest";
import {
  mapFulfillmentToTrackings,
  renderTitle,
  type MappingOptions,
} from "~/pipeline/ingest/mapping.server";
import { EMPTY_CARRIER_CONTEXT } from "~/models/carriers/carriers.server";
import { overrideKey } from "~/models/carriers/resolve";
import { fulfillmentPayload } from "../../../../devkit/shopify";

const options: MappingOptions = {
  orderIdFormat: "name",
  titleTemplate: "{{first_item}}{{more_items}}",
  carriers: EMPTY_CARRIER_CONTEXT,
};

describe("mapFulfillmentToTrackings", () => {
  it("makes one tracking per number with the order name, customer and destination", () => {
    const mapping = mapFulfillmentToTrackings(
      fulfillmentPayload({
        fulfillmentId: 42,
        orderId: 4200,
        orderName: "#1042",
        trackingNumbers: ["1Z999AA10123456784", "1Z999AA10123456785"],
      }),
      null,
      options,
    );
    expect(mapping.drafts).toHaveLength(2);
    expect(mapping.drafts[0]).toMatchObject({
      trackingNumber: "1Z999AA10123456784",
      carrierCode: "ups",
      carrierSource: "shopify_table",
      orderId: "4200",
      orderName: "#1042",
      fulfillmentId: "42",
      tmOrderId: "#1042",
      customerName: "Ada Lovelace",
      customerEmail: "ada@example.com",
      customerPhone: "+44 20 7946 0958",
      destinationCode: "GB",
      title: "Analytical Engine",
      logisticsChannel: "UPS",
    });
    expect(mapping.note).toBeNull();
  });

  it("sends the numeric order id when the shop chose it", () => {
    const mapping = mapFulfillmentToTrackings(fulfillmentPayload({ orderId: 777 }), null, {
      ...options,
      orderIdFormat: "id",
    });
    expect(mapping.drafts[0].tmOrderId).toBe("777");
  });

  it("falls back to tracking_number, and records a fulfillment without one with a note", () => {
    const single = { ...fulfillmentPayload(), tracking_numbers: [], tracking_number: "LP00123456789CN" };
    expect(mapFulfillmentToTrackings(single, null, options).drafts.map((d) => d.trackingNumber)).toEqual([
      "LP00123456789CN",
    ]);
    const none = { ...fulfillmentPayload(), tracking_numbers: [], tracking_number: null };
    const mapping = mapFulfillmentToTrackings(none, null, options);
    expect(mapping.drafts).toEqual([]);
    expect(mapping.note).toMatch(/without a tracking number/);
  });

  it("sends missing or redacted customer data as absent, never as text", () => {
    const payload = {
      ...fulfillmentPayload(),
      email: "null",
      destination: { name: "undefined", phone: "", country_code: null },
    };
    const [draft] = mapFulfillmentToTrackings(payload, null, options).drafts;
    expect(draft.customerName).toBeNull();
    expect(draft.customerEmail).toBeNull();
    expect(draft.customerPhone).toBeNull();
    expect(draft.destinationCode).toBeNull();
  });

  it("falls back to the order's customer and shipping address (orders/fulfilled)", () => {
    const fulfillment = fulfillmentPayload({ customer: null });
    const order = {
      id: fulfillment.order_id,
      name: "#2001",
      email: "grace@example.com",
      created_at: "2026-11-19T08:00:00Z",
      customer: { first_name: "Grace", last_name: "Hopper", phone: "+1 555 0100" },
      shipping_address: { first_name: "Grace", last_name: "Hopper", country_code: "us" },
    };
    const [draft] = mapFulfillmentToTrackings(fulfillment, order, options).drafts;
    expect(draft).toMatchObject({
      orderName: "#2001",
      tmOrderId: "#2001",
      customerName: "Grace Hopper",
      customerEmail: "grace@example.com",
      customerPhone: "+1 555 0100",
      destinationCode: "US",
    });
    expect(draft.orderCreatedAt?.toISOString()).toBe("2026-11-19T08:00:00.000Z");
  });

  it("leaves the carrier empty for an unknown company (detection decides) and applies shop overrides", () => {
    const unknown = mapFulfillmentToTrackings(
      fulfillmentPayload({ trackingCompany: "Speedy Bulgarian Freight" }),
      null,
      options,
    );
    expect(unknown.drafts[0]).toMatchObject({ carrierCode: "", carrierSource: null });
    const overridden = mapFulfillmentToTrackings(
      fulfillmentPayload({ trackingCompany: "Speedy  bulgarian-freight" }),
      null,
      {
        ...options,
        carriers: {
          ...EMPTY_CARRIER_CONTEXT,
          overrides: new Map([[overrideKey("", "speedy bulgarian freight"), "speedy"]]),
        },
      },
    );
    expect(overridden.drafts[0]).toMatchObject({ carrierCode: "speedy", carrierSource: "shop_override" });
  });

  it("resolves the company for the country the parcel ships from: its origin, else the shop's", () => {
    const germanShop = { ...options, carriers: { ...EMPTY_CARRIER_CONTEXT, shopCountry: "DE" } };
    const fromShop = mapFulfillmentToTrackings(
      fulfillmentPayload({ trackingCompany: "DHL" }),
      null,
      germanShop,
    );
    expect(fromShop.drafts[0]).toMatchObject({
      carrierCode: "dhl-germany",
      carrierSource: "shopify_table",
      originCountry: "DE",
    });
    // A German shop fulfilling from its UK warehouse: the location's country decides.
    const fromUk = mapFulfillmentToTrackings(
      { ...fulfillmentPayload({ trackingCompany: "DHL Parcel" }), origin_address: { country_code: "gb" } },
      null,
      germanShop,
    );
    expect(fromUk.drafts[0]).toMatchObject({ carrierCode: "dhl-uk", originCountry: "GB" });
    const unknownCountry = mapFulfillmentToTrackings(
      fulfillmentPayload({ trackingCompany: "DHL" }),
      null,
      options,
    );
    expect(unknownCountry.drafts[0]).toMatchObject({ carrierCode: "dhl", originCountry: null });
  });

  it("deduplicates a number pasted twice", () => {
    const mapping = mapFulfillmentToTrackings(
      fulfillmentPayload({ trackingNumbers: ["AB123", "AB123 ", "CD456"] }),
      null,
      options,
    );
    expect(mapping.drafts.map((d) => d.trackingNumber)).toEqual(["AB123", "CD456"]);
  });
});

describe("renderTitle", () => {
  it("renders the template's placeholders", () => {
    const items = [
      { title: "Blue shirt", quantity: 2 },
      { title: "Socks", quantity: 1 },
      { title: "Hat", quantity: 1 },
    ];
    expect(renderTitle("{{first_item}}{{more_items}}", items, "#1")).toBe("Blue shirt × 2 + 2 more items");
    expect(renderTitle("{{order_name}}: {{item_count}} items", items, "#1")).toBe("#1: 4 items");
    expect(renderTitle("{{items}}", items, null)).toBe("Blue shirt × 2, Socks, Hat");
    expect(renderTitle("{{first_item}}", [], null)).toBeNull();
  });
});
