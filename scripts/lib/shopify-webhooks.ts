// Shopify webhook deliveries for the demo and the benchmark: realistic payloads (see
// ../shared/shopify-notes.md), signed as Shopify signs them, sent over HTTP.
import { createHmac, randomUUID } from "node:crypto";
import type http from "node:http";
import { postBody, type PostAnswer } from "./load";

export type WebhookTopic = "fulfillments/create" | "fulfillments/update" | "orders/fulfilled" | "shop/update";

export interface SignedDelivery {
  topic: WebhookTopic;
  shop: string;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
  /** The raw body, exactly as signed. */
  body: string;
  hmac: string;
}

export function signShopifyBody(rawBody: string, apiSecret: string): string {
  return createHmac("sha256", apiSecret).update(rawBody, "utf8").digest("base64");
}

export function signDelivery(
  input: { topic: WebhookTopic; shop: string; payload: unknown; webhookId?: string; eventId?: string },
  apiSecret: string,
): SignedDelivery {
  const body = JSON.stringify(input.payload);
  return {
    topic: input.topic,
    shop: input.shop,
    webhookId: input.webhookId ?? randomUUID(),
    eventId: input.eventId ?? randomUUID(),
    triggeredAt: new Date().toISOString(),
    body,
    hmac: signShopifyBody(body, apiSecret),
  };
}

/** POSTs one delivery to `${appUrl}/webhooks/<topic>` with Shopify's headers. */
export function sendDelivery(
  appUrl: string,
  delivery: SignedDelivery,
  options: { agent?: http.Agent; timeoutMs?: number } = {},
): Promise<PostAnswer> {
  return postBody(new URL(`/webhooks/${delivery.topic}`, appUrl), delivery.body, {
    ...options,
    headers: {
      "x-shopify-topic": delivery.topic,
      "x-shopify-shop-domain": delivery.shop,
      "x-shopify-webhook-id": delivery.webhookId,
      "x-shopify-event-id": delivery.eventId,
      "x-shopify-triggered-at": delivery.triggeredAt,
      "x-shopify-hmac-sha256": delivery.hmac,
      "x-shopify-api-version": "2026-10",
    },
  });
}

// ---- payloads -----------------------------------------------------------------------------

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
  orderId: number;
  orderName: string;
  fulfillmentId: number;
  trackingCompany: string | null;
  trackingNumbers: string[];
  customer: Customer;
  lineItems: LineItem[];
  status?: "success" | "cancelled" | "open" | "pending";
  service?: string;
  createdAt?: string;
  updatedAt?: string;
}

function lineItemsOf(spec: FulfillmentSpec) {
  return spec.lineItems.map((item, i) => ({
    id: spec.fulfillmentId * 10 + i,
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

/** A `fulfillments/create` or `fulfillments/update` body. */
export function fulfillmentPayload(spec: FulfillmentSpec) {
  const createdAt = spec.createdAt ?? "2026-11-20T10:15:00-05:00";
  const numbers = spec.trackingNumbers;
  return {
    id: spec.fulfillmentId,
    order_id: spec.orderId,
    name: `${spec.orderName}.1`,
    status: spec.status ?? "success",
    created_at: createdAt,
    updated_at: spec.updatedAt ?? createdAt,
    service: spec.service ?? "manual",
    shipment_status: null,
    location_id: 905684977,
    origin_address: null,
    tracking_company: spec.trackingCompany,
    tracking_number: numbers[0] ?? null,
    tracking_numbers: numbers,
    tracking_url: numbers[0] ? `https://tracking.example/${numbers[0]}` : null,
    tracking_urls: numbers.map((n) => `https://tracking.example/${n}`),
    email: spec.customer.email,
    destination: addressOf(spec.customer),
    line_items: lineItemsOf(spec),
    receipt: {},
    admin_graphql_api_id: `gid://shopify/Fulfillment/${spec.fulfillmentId}`,
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
    line_items: first ? lineItemsOf(first) : [],
    fulfillments: order.fulfillments.map(fulfillmentPayload),
  };
}
