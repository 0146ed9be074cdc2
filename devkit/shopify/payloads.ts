// Webhook bodies as Shopify sends them (see Shopify's webhook reference for fulfillments and
// orders), for tests, the demo and the benchmarks. Every field has a default, so a test names
// only what it is about.

export interface Customer {
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  address1: string;
  city: string;
  zip: string;
  provinceCode: string | null;
  country: string;
  countryCode: string;
}

export interface LineItem {
  title: string;
  variantTitle?: string | null;
  quantity: number;
  sku?: string;
}

export interface FulfillmentSpec {
  fulfillmentId?: number;
  orderId?: number;
  orderName?: string;
  /** null: Shopify sent no company. */
  trackingCompany?: string | null;
  trackingNumbers?: string[];
  /** null: protected customer data withheld (no email, no destination). */
  customer?: Customer | null;
  lineItems?: LineItem[];
  status?: string; // "success", "cancelled", "open", "pending", "failure", "error"
  service?: string;
  createdAt?: string;
  updatedAt?: string;
}

export const ADA: Customer = {
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada@example.com",
  phone: "+44 20 7946 0958",
  address1: "12 St James's Square",
  city: "London",
  zip: "SW1Y 4JH",
  provinceCode: null,
  country: "United Kingdom",
  countryCode: "GB",
};

const DEFAULT_LINE_ITEMS: LineItem[] = [{ title: "Analytical Engine", quantity: 1 }];
const DEFAULT_TIME = "2026-11-20T10:00:00-05:00";

let fulfillmentSequence = 5_000_000;

function lineItemsOf(fulfillmentId: number, items: LineItem[]) {
  return items.map((item, i) => ({
    id: fulfillmentId * 10 + i,
    title: item.title,
    name: item.variantTitle ? `${item.title} - ${item.variantTitle}` : item.title,
    variant_title: item.variantTitle ?? null,
    quantity: item.quantity,
    sku: item.sku ?? null,
    product_id: 7_000_000 + i,
    variant_id: 8_000_000 + i,
    fulfillment_status: "fulfilled",
  }));
}

function addressOf(customer: Customer) {
  return {
    first_name: customer.firstName,
    last_name: customer.lastName,
    name: `${customer.firstName} ${customer.lastName}`,
    phone: customer.phone,
    address1: customer.address1,
    address2: null,
    city: customer.city,
    zip: customer.zip,
    province_code: customer.provinceCode,
    country: customer.country,
    country_code: customer.countryCode,
    company: null,
  };
}

/**
 * A `fulfillments/create` or `fulfillments/update` body. Without an id, each call gets a new
 * fulfillment (and order) with a UPS number of its own.
 */
export function fulfillmentPayload(spec: FulfillmentSpec = {}) {
  const id = spec.fulfillmentId ?? ++fulfillmentSequence;
  const orderName = spec.orderName ?? `#${1000 + (id % 100_000)}`;
  const numbers = spec.trackingNumbers ?? [`1Z999AA1${String(id).padStart(10, "0")}`];
  const customer = spec.customer === undefined ? ADA : spec.customer;
  const createdAt = spec.createdAt ?? DEFAULT_TIME;
  return {
    id,
    order_id: spec.orderId ?? id + 1_000_000,
    name: `${orderName}.1`,
    status: spec.status ?? "success",
    created_at: createdAt,
    updated_at: spec.updatedAt ?? createdAt,
    service: spec.service ?? "manual",
    shipment_status: null,
    location_id: 905684977,
    origin_address: null,
    tracking_company: spec.trackingCompany === undefined ? "UPS" : spec.trackingCompany,
    tracking_number: numbers[0] ?? null,
    tracking_numbers: numbers,
    tracking_url: numbers[0] ? `https://tracking.example/${numbers[0]}` : null,
    tracking_urls: numbers.map((n) => `https://tracking.example/${n}`),
    email: customer?.email ?? null,
    destination: customer ? addressOf(customer) : null,
    line_items: lineItemsOf(id, spec.lineItems ?? DEFAULT_LINE_ITEMS),
    receipt: {},
    admin_graphql_api_id: `gid://shopify/Fulfillment/${id}`,
  };
}

/** An `orders/fulfilled` body: the whole order, with its fulfillments. */
export function orderFulfilledPayload(order: {
  orderId: number;
  orderName: string;
  customer: Customer;
  fulfillments: FulfillmentSpec[];
  createdAt?: string;
}) {
  const first = order.fulfillments[0];
  return {
    id: order.orderId,
    admin_graphql_api_id: `gid://shopify/Order/${order.orderId}`,
    name: order.orderName,
    order_number: Number(order.orderName.replace(/\D/g, "")),
    email: order.customer.email,
    contact_email: order.customer.email,
    phone: order.customer.phone,
    created_at: order.createdAt ?? "2026-11-19T16:02:11-05:00",
    financial_status: "paid",
    fulfillment_status: "fulfilled",
    currency: "USD",
    total_price: "89.00",
    customer: {
      id: order.orderId + 1_000_000,
      first_name: order.customer.firstName,
      last_name: order.customer.lastName,
      email: order.customer.email,
      phone: order.customer.phone,
    },
    shipping_address: addressOf(order.customer),
    billing_address: addressOf(order.customer),
    line_items: first
      ? lineItemsOf(first.fulfillmentId ?? order.orderId, first.lineItems ?? DEFAULT_LINE_ITEMS)
      : [],
    fulfillments: order.fulfillments.map((f) =>
      fulfillmentPayload({
        orderId: order.orderId,
        orderName: order.orderName,
        customer: order.customer,
        ...f,
      }),
    ),
  };
}
