import { describe, expect, it } from "vitest";
import { parseFulfillmentPayload, type ParsedPayload } from "~/pipeline/ingest/shopify-payloads";
import { fulfillmentPayload } from "../../../../devkit/shopify";

const body = (value: unknown) => JSON.stringify(value);

function fulfillmentsOf(parsed: ParsedPayload) {
  if (!parsed.success) throw new Error(`expected a readable payload, got: ${parsed.reason}`);
  return parsed.fulfillments;
}

function reasonOf(parsed: ParsedPayload) {
  if (parsed.success) throw new Error("expected the payload to be refused");
  return parsed.reason;
}

describe("parseFulfillmentPayload", () => {
  it("reads a fulfillments/create payload as Shopify sends it, ignoring fields it does not use", () => {
    const payload = fulfillmentPayload({ fulfillmentId: 7, orderId: 70, trackingNumbers: ["1Z1", "1Z2"] });
    const [{ fulfillment, order }] = fulfillmentsOf(
      parseFulfillmentPayload("fulfillments/create", body(payload)),
    );
    expect(order).toBeNull();
    expect(fulfillment).toMatchObject({ id: 7, order_id: 70, tracking_numbers: ["1Z1", "1Z2"] });
    expect(fulfillment.destination?.name).toBe("Ada Lovelace");
    expect(fulfillment).not.toHaveProperty("location_id");
  });

  it("is lenient where Shopify is: nulls, absent fields, ids and counts as strings, numbers as numbers", () => {
    const [{ fulfillment }] = fulfillmentsOf(
      parseFulfillmentPayload(
        "fulfillments/update",
        body({
          id: "8",
          order_id: "80",
          tracking_company: null,
          tracking_numbers: [12345678, null, "AB\u00001"],
          destination: null,
          email: null,
          line_items: [
            { title: "Hat", quantity: "2" },
            { title: null, quantity: "many" },
          ],
        }),
      ),
    );
    expect(fulfillment).toMatchObject({
      id: "8",
      order_id: "80",
      tracking_company: null,
      tracking_numbers: ["12345678", null, "AB1"],
      destination: null,
      line_items: [
        { title: "Hat", quantity: 2 },
        { title: null, quantity: null },
      ],
    });
  });

  it("takes the fulfillment id from its GraphQL id, and the order id from the order (orders/fulfilled)", () => {
    const { id: _id, order_id: _orderId, ...withoutIds } = fulfillmentPayload({ fulfillmentId: 9 });
    const fulfillments = fulfillmentsOf(
      parseFulfillmentPayload(
        "orders/fulfilled",
        body({ id: 90, name: "#1090", customer: null, fulfillments: [withoutIds] }),
      ),
    );
    expect(fulfillments).toHaveLength(1);
    expect(fulfillments[0].fulfillment).toMatchObject({
      order_id: 90,
      admin_graphql_api_id: "gid://shopify/Fulfillment/9",
    });
    expect(fulfillments[0].order).toMatchObject({ id: 90, name: "#1090" });
    expect(
      fulfillmentsOf(parseFulfillmentPayload("orders/fulfilled", body({ id: 91, fulfillments: null }))),
    ).toEqual([]);
  });

  it("refuses a list that is not a list, naming the field", () => {
    const reason = reasonOf(
      parseFulfillmentPayload(
        "fulfillments/create",
        body({ ...fulfillmentPayload(), tracking_numbers: "1Z999AA10000009999" }),
      ),
    );
    expect(reason).toMatch(/^Shopify's payload cannot be read: tracking_numbers: .*expected array/);
  });

  it("refuses a fulfillment or order without an id", () => {
    const { id: _id, admin_graphql_api_id: _gid, ...noId } = fulfillmentPayload();
    expect(reasonOf(parseFulfillmentPayload("fulfillments/create", body(noId)))).toMatch(
      /id: the fulfillment has no id/,
    );
    const { order_id: _orderId, ...noOrder } = fulfillmentPayload();
    expect(reasonOf(parseFulfillmentPayload("fulfillments/create", body(noOrder)))).toMatch(
      /order_id: the fulfillment has no order id/,
    );
    expect(
      reasonOf(parseFulfillmentPayload("orders/fulfilled", body({ name: "#1", fulfillments: [noId] }))),
    ).toMatch(/^Shopify's payload cannot be read: id: the order has no id; fulfillments\.0\.id: /);
  });

  it("refuses a body that is not a JSON object", () => {
    expect(reasonOf(parseFulfillmentPayload("fulfillments/create", "{"))).toBe(
      "Shopify's payload is not JSON",
    );
    expect(reasonOf(parseFulfillmentPayload("fulfillments/create", "[1, 2]"))).toMatch(/expected object/);
    expect(reasonOf(parseFulfillmentPayload("fulfillments/create", null))).toMatch(/expected object/);
  });
});
