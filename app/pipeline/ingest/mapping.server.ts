import type { OrderIdFormat } from "~/models/settings.server";
import type { CarrierContext, CarrierSource } from "~/models/carriers/carriers.server";
import { resolveCarrier } from "~/models/carriers/carriers.server";
import {
  shopifyIdOf,
  type ShopifyAddress,
  type ShopifyFulfillment,
  type ShopifyLineItem,
  type ShopifyOrder,
} from "./shopify-payloads";

// Pure: a parsed Shopify fulfillment (and its order, when Shopify sent it) becomes one tracking
// draft per tracking number, with the fields TrackingMore gets. No I/O, so the webhook pipeline
// and the backfill share it and tests can pin every rule.

export interface TrackingDraft {
  trackingNumber: string;
  trackingCompany: string | null;
  /** Where the parcel ships from (the fulfillment's origin, else the shop's country). */
  originCountry: string | null;
  /** "" when no carrier could be resolved without TrackingMore's detection. */
  carrierCode: string;
  carrierSource: CarrierSource | null;
  orderId: string;
  orderName: string | null;
  fulfillmentId: string;
  title: string | null;
  tmOrderId: string;
  customerName: string | null;
  customerEmail: string | null;
  customerPhone: string | null;
  destinationCode: string | null;
  destinationPostcode: string | null;
  logisticsChannel: string | null;
  orderCreatedAt: Date | null;
}

export interface FulfillmentMapping {
  fulfillmentId: string;
  orderId: string;
  orderName: string | null;
  shopifyStatus: string | null;
  shopifyUpdatedAt: Date | null;
  trackingCompany: string | null;
  trackingNumbers: string[];
  drafts: TrackingDraft[];
  /** Why the fulfillment has no tracking, shown to the merchant; null when it has some. */
  note: string | null;
}

export interface MappingOptions {
  orderIdFormat: OrderIdFormat;
  titleTemplate: string;
  /** The shop's overrides, carrier list and country, for resolving the company name. */
  carriers: CarrierContext;
}

export class UnmappableFulfillmentError extends Error {
  override name = "UnmappableFulfillmentError";
}

/** A value worth sending: trimmed, non-empty, and not a serialised nothing. */
export function present(value: unknown): string | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const text = String(value).trim();
  if (!text || /^(undefined|null|none|n\/a)$/i.test(text)) return null;
  return text;
}

function personName(address: ShopifyAddress | null | undefined): string | null {
  if (!address) return null;
  return (
    present(address.name) ??
    present([present(address.first_name), present(address.last_name)].filter(Boolean).join(" "))
  );
}

function trackingNumbersOf(fulfillment: ShopifyFulfillment): string[] {
  const listed = (fulfillment.tracking_numbers ?? []).map(present).filter((n): n is string => Boolean(n));
  const numbers =
    listed.length > 0
      ? listed
      : [present(fulfillment.tracking_number)].filter((n): n is string => Boolean(n));
  // Shopify lets a merchant paste the same number twice; one parcel is one tracking.
  return [...new Set(numbers.map((n) => n.replace(/\s+/g, "")))];
}

/** "#1001.2" (a fulfillment's name) → "#1001" (its order's name). */
export function orderNameFromFulfillmentName(name: string | null | undefined): string | null {
  const text = present(name);
  return text ? text.replace(/\.\d+$/, "") : null;
}

function itemLabel(item: ShopifyLineItem): string | null {
  const label = present(item.title) ?? present(item.name);
  if (!label) return null;
  const quantity = item.quantity && item.quantity > 1 ? ` × ${item.quantity}` : "";
  return `${label}${quantity}`;
}

/**
 * Title from the shop's template. Placeholders: {{first_item}}, {{more_items}} (" + 2 more
 * items"), {{items}} (all, comma-separated), {{item_count}}, {{order_name}}.
 */
export function renderTitle(
  template: string,
  lineItems: ShopifyLineItem[],
  orderName: string | null,
): string | null {
  const labels = lineItems.map(itemLabel).filter((l): l is string => Boolean(l));
  const count = lineItems.reduce((sum, item) => sum + (item.quantity ?? 1), 0);
  const others = labels.length - 1;
  const values: Record<string, string> = {
    first_item: labels[0] ?? "",
    more_items: others > 0 ? ` + ${others} more item${others === 1 ? "" : "s"}` : "",
    items: labels.join(", "),
    item_count: String(count),
    order_name: orderName ?? "",
  };
  const title = template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole).trim();
  // TrackingMore's title is short text; keep it readable in their dashboard too.
  return present(title.length > 200 ? `${title.slice(0, 199)}…` : title);
}

function countryOf(value: unknown): string | null {
  const text = present(value);
  return text && /^[A-Za-z]{2}$/.test(text) ? text.toUpperCase() : null;
}

function dateOf(value: unknown): Date | null {
  const text = present(value);
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function mapFulfillmentToTrackings(
  fulfillment: ShopifyFulfillment,
  order: ShopifyOrder | null,
  options: MappingOptions,
): FulfillmentMapping {
  const fulfillmentId = shopifyIdOf(fulfillment.id) ?? shopifyIdOf(fulfillment.admin_graphql_api_id);
  const orderId = shopifyIdOf(fulfillment.order_id) ?? shopifyIdOf(order?.id);
  if (!fulfillmentId || !orderId) {
    throw new UnmappableFulfillmentError("The fulfillment has no id or no order id");
  }
  const orderName = present(order?.name) ?? orderNameFromFulfillmentName(fulfillment.name);
  const trackingCompany = present(fulfillment.tracking_company);
  const trackingNumbers = trackingNumbersOf(fulfillment);
  const originCountry = countryOf(fulfillment.origin_address?.country_code) ?? options.carriers.shopCountry;
  const carrier = resolveCarrier(trackingCompany, options.carriers, originCountry);

  const destination = fulfillment.destination ?? null;
  const shipping = order?.shipping_address ?? null;
  const customer = order?.customer ?? null;
  const customerName =
    personName(destination) ??
    personName(shipping) ??
    present([present(customer?.first_name), present(customer?.last_name)].filter(Boolean).join(" "));
  const customerEmail =
    present(fulfillment.email) ??
    present(order?.email) ??
    present(order?.contact_email) ??
    present(customer?.email);
  const customerPhone =
    present(destination?.phone) ??
    present(shipping?.phone) ??
    present(order?.phone) ??
    present(customer?.phone);
  const countryCode = countryOf(destination?.country_code) ?? countryOf(shipping?.country_code);
  const lineItems = (fulfillment.line_items?.length ? fulfillment.line_items : order?.line_items) ?? [];

  const drafts = trackingNumbers.map<TrackingDraft>((trackingNumber) => ({
    trackingNumber,
    trackingCompany,
    originCountry,
    carrierCode: carrier?.carrierCode ?? "",
    carrierSource: carrier?.source ?? null,
    orderId,
    orderName,
    fulfillmentId,
    title: renderTitle(options.titleTemplate, lineItems, orderName),
    tmOrderId: options.orderIdFormat === "id" ? orderId : (orderName ?? orderId),
    customerName,
    customerEmail,
    customerPhone,
    destinationCode: countryCode,
    destinationPostcode: present(destination?.zip) ?? present(shipping?.zip),
    logisticsChannel:
      present(fulfillment.service) && fulfillment.service !== "manual"
        ? present(fulfillment.service)
        : trackingCompany,
    orderCreatedAt: dateOf(order?.created_at),
  }));

  return {
    fulfillmentId,
    orderId,
    orderName,
    shopifyStatus: present(fulfillment.status),
    shopifyUpdatedAt: dateOf(fulfillment.updated_at) ?? dateOf(fulfillment.created_at),
    trackingCompany,
    trackingNumbers,
    drafts,
    note: trackingNumbers.length === 0 ? "Shopify sent this fulfillment without a tracking number" : null,
  };
}
