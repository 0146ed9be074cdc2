// The demo's story: what a small shop's Shopify sends in a morning, including the awkward
// parts (a multi-parcel fulfillment, orders/fulfilled repeating a fulfillment, a carrier name
// Shopify does not know, no tracking number, a repeated delivery, a cancellation).
import {
  fulfillmentPayload,
  orderFulfilledPayload,
  signDelivery,
  type Customer,
  type FulfillmentSpec,
  type SignedDelivery,
} from "../../devkit/shopify";

export const DEMO_SHOP = "trackbridge-demo.myshopify.com";
export const DEMO_TRACKINGMORE_KEY = "demo-key";
export const DEMO_TRACKINGMORE_EMAIL = "demo@example.com";

/** A fulfillment the demo tells the whole of: who, which order, which fulfillment. */
type DemoFulfillment = FulfillmentSpec & {
  orderId: number;
  orderName: string;
  fulfillmentId: number;
  customer: Customer;
};

const ada: Customer = {
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada@example.com",
  phone: "+1 415-555-0101",
  address1: "12 Analytical Way",
  city: "San Francisco",
  zip: "94107",
  provinceCode: "CA",
  country: "United States",
  countryCode: "US",
};
const grace: Customer = {
  firstName: "Grace",
  lastName: "Hopper",
  email: "grace@example.com",
  phone: "+1 212-555-0199",
  address1: "7 Compiler Street",
  city: "New York",
  zip: "10001",
  provinceCode: "NY",
  country: "United States",
  countryCode: "US",
};
const ivan: Customer = {
  firstName: "Ivan",
  lastName: "Petrov",
  email: "ivan@example.bg",
  phone: "+359 2 555 0123",
  address1: "ul. Vitosha 15",
  city: "Sofia",
  zip: "1000",
  provinceCode: null,
  country: "Bulgaria",
  countryCode: "BG",
};
const linus: Customer = {
  firstName: "Linus",
  lastName: "Berg",
  email: "linus@example.se",
  phone: null,
  address1: "Drottninggatan 3",
  city: "Stockholm",
  zip: "111 51",
  provinceCode: null,
  country: "Sweden",
  countryCode: "SE",
};
// Protected customer data withheld: Shopify sends no email and no phone.
const redacted: Customer = {
  firstName: "Margaret",
  lastName: "Hamilton",
  email: null,
  phone: null,
  address1: "1 Apollo Road",
  city: "Toronto",
  zip: "M5V 2T6",
  provinceCode: "ON",
  country: "Canada",
  countryCode: "CA",
};

const order1001: DemoFulfillment = {
  orderId: 5817263095000,
  orderName: "#1001",
  fulfillmentId: 4_900_000_001,
  trackingCompany: "UPS",
  trackingNumbers: ["1Z999AA10123456784"],
  customer: ada,
  lineItems: [{ title: "Merino Wool Sweater", variantTitle: "M / Navy", quantity: 1, sku: "SW-M-NAVY" }],
};
const order1002: DemoFulfillment = {
  orderId: 5817263095001,
  orderName: "#1002",
  fulfillmentId: 4_900_000_002,
  trackingCompany: "FedEx",
  trackingNumbers: ["794644790132", "794644790145"],
  customer: grace,
  lineItems: [
    { title: "Standing Desk", variantTitle: "Oak", quantity: 1, sku: "DESK-OAK" },
    { title: "Desk Lamp", quantity: 2, sku: "LAMP-01" },
  ],
  service: "FedEx Ground",
};
const order1003: DemoFulfillment = {
  orderId: 5817263095002,
  orderName: "#1003",
  fulfillmentId: 4_900_000_003,
  // Not a company Shopify lists: the number's shape (UPS) decides, through detection.
  trackingCompany: "Speedy Bulgarian Freight",
  trackingNumbers: ["1Z4E7A290312345678"],
  customer: ivan,
  lineItems: [{ title: "Rose Oil Gift Set", quantity: 3 }],
};
const order1004: DemoFulfillment = {
  orderId: 5817263095003,
  orderName: "#1004",
  fulfillmentId: 4_900_000_004,
  trackingCompany: null,
  trackingNumbers: [],
  customer: linus,
  lineItems: [{ title: "Gift Card", quantity: 1 }],
};
const order1005: DemoFulfillment = {
  orderId: 5817263095004,
  orderName: "#1005",
  fulfillmentId: 4_900_000_005,
  trackingCompany: "USPS",
  trackingNumbers: ["9400111899223197428490"],
  customer: grace,
  lineItems: [{ title: "Espresso Cups", variantTitle: "Set of 4", quantity: 1 }],
};
const order1006: DemoFulfillment = {
  orderId: 5817263095005,
  orderName: "#1006",
  fulfillmentId: 4_900_000_006,
  // Neither a known company nor a number shape any carrier uses: it waits for the merchant.
  trackingCompany: "Nordic Bike Couriers",
  trackingNumbers: ["NBC-000123"],
  customer: linus,
  lineItems: [{ title: "Bike Lights", quantity: 1 }],
};
const order1007: DemoFulfillment = {
  orderId: 5817263095006,
  orderName: "#1007",
  fulfillmentId: 4_900_000_007,
  trackingCompany: "DHL Express",
  trackingNumbers: ["1234567890"],
  customer: redacted,
  lineItems: [{ title: "Wireless Headphones", quantity: 1 }],
};

/** What TrackingMore must hold after the demo, exactly once each. */
export interface ExpectedTracking {
  trackingNumber: string;
  carrierCode: string;
  orderId: string;
  customerName: string;
  customerEmail: string | null;
  customerPhone: string | null;
  archived: boolean;
}

function expected(
  spec: DemoFulfillment,
  number: string,
  carrierCode: string,
  archived = false,
): ExpectedTracking {
  return {
    trackingNumber: number,
    carrierCode,
    orderId: spec.orderName,
    customerName: `${spec.customer.firstName} ${spec.customer.lastName}`,
    customerEmail: spec.customer.email,
    customerPhone: spec.customer.phone,
    archived,
  };
}

export interface DemoScenario {
  /** Sent first; the demo waits until TrackingMore has `createdAfterArrivals`. */
  arrivals: { label: string; delivery: SignedDelivery }[];
  createdAfterArrivals: ExpectedTracking[];
  /** Sent once the arrivals are at TrackingMore: the merchant cancels #1005. */
  cancellations: { label: string; delivery: SignedDelivery }[];
  /** The final state at TrackingMore. */
  final: ExpectedTracking[];
  /** Numbers and fulfillments that stay in TrackBridge only, and why. */
  stayLocal: { orderName: string; trackingNumber: string | null; reason: string }[];
}

export function demoScenario(apiSecret: string, shop = DEMO_SHOP): DemoScenario {
  const create = (spec: FulfillmentSpec) =>
    signDelivery({ topic: "fulfillments/create", shop, body: fulfillmentPayload(spec) }, apiSecret);
  const multiParcel = create(order1002);
  const arrivals = [
    { label: "#1001 fulfilled, one UPS parcel", delivery: create(order1001) },
    { label: "#1002 fulfilled, two FedEx parcels", delivery: multiParcel },
    {
      label: "#1001 orders/fulfilled (same parcel again)",
      delivery: signDelivery(
        {
          topic: "orders/fulfilled",
          shop,
          body: orderFulfilledPayload({
            orderId: order1001.orderId,
            orderName: order1001.orderName,
            customer: ada,
            fulfillments: [order1001],
          }),
        },
        apiSecret,
      ),
    },
    {
      label: '#1003 "Speedy Bulgarian Freight" (unknown company, UPS-shaped number)',
      delivery: create(order1003),
    },
    { label: "#1004 fulfilled without a tracking number", delivery: create(order1004) },
    { label: "#1002 delivered again by Shopify (same webhook id)", delivery: { ...multiParcel } },
    { label: "#1005 fulfilled, one USPS parcel", delivery: create(order1005) },
    {
      label: '#1006 "Nordic Bike Couriers" (unknown company, unknown number shape)',
      delivery: create(order1006),
    },
    { label: "#1007 DHL Express, customer email and phone withheld by Shopify", delivery: create(order1007) },
  ];
  const createdAfterArrivals = [
    expected(order1001, "1Z999AA10123456784", "ups"),
    expected(order1002, "794644790132", "fedex"),
    expected(order1002, "794644790145", "fedex"),
    expected(order1003, "1Z4E7A290312345678", "ups"),
    expected(order1005, "9400111899223197428490", "usps"),
    expected(order1007, "1234567890", "dhl"),
  ];
  const cancellations = [
    {
      label: "#1005 fulfillment cancelled",
      delivery: signDelivery(
        {
          topic: "fulfillments/update",
          shop,
          body: fulfillmentPayload({
            ...order1005,
            status: "cancelled",
            updatedAt: "2026-11-20T12:40:00-05:00",
          }),
        },
        apiSecret,
      ),
    },
  ];
  const final = createdAfterArrivals.map((t) =>
    t.trackingNumber === "9400111899223197428490" ? { ...t, archived: true } : t,
  );
  return {
    arrivals,
    createdAfterArrivals,
    cancellations,
    final,
    stayLocal: [
      { orderName: "#1004", trackingNumber: null, reason: "the fulfillment has no tracking number" },
      {
        orderName: "#1006",
        trackingNumber: "NBC-000123",
        reason: "no carrier could be found (needs carrier)",
      },
    ],
  };
}
