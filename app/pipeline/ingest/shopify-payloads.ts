import { z } from "zod";
import type { FulfillmentTopic } from "./inbox.server";

// The parts of Shopify's webhook payloads TrackBridge reads, parsed at the edge of the ingest
// stage. Lenient where Shopify is: every field may be absent or null (protected customer data
// is omitted or redacted; old API versions lack newer fields), ids and quantities come as
// numbers or strings, and fields we do not read are ignored. Strict where the data would be
// wrong otherwise: a list that is not a list, a fulfillment or order without an id.
// Shapes: Shopify's webhook reference (fulfillments/create, fulfillments/update, orders/fulfilled);
// devkit/shopify/payloads.ts builds them for tests, the demo and the benchmarks.

/** Text Shopify may send as a number; NUL removed (PostgreSQL's text refuses it). */
const text = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).replaceAll("\u0000", ""))
  .nullish();

/** An id: a number in REST payloads, a string in some (and in GraphQL's "gid://…/123" form). */
const id = z.union([z.string(), z.number()]).nullish();

/** A count Shopify may send as a string; unreadable counts are absent, not an error. */
const count = z
  .union([z.number(), z.string()])
  .transform((value) => {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  })
  .nullish();

export const shopifyAddressSchema = z.object({
  name: text,
  first_name: text,
  last_name: text,
  phone: text,
  country_code: text,
  company: text,
  zip: text,
});

export const shopifyLineItemSchema = z.object({
  title: text,
  name: text,
  quantity: count,
  variant_title: text,
  sku: text,
});

export const shopifyFulfillmentSchema = z.object({
  id,
  order_id: id,
  name: text,
  status: text,
  created_at: text,
  updated_at: text,
  service: text,
  tracking_company: text,
  tracking_number: text,
  tracking_numbers: z.array(text).nullish(),
  email: text,
  destination: shopifyAddressSchema.nullish(),
  /** Where the parcel ships from, when the fulfillment's location has an address. */
  origin_address: shopifyAddressSchema.nullish(),
  line_items: z.array(shopifyLineItemSchema).nullish(),
  admin_graphql_api_id: text,
});

export const shopifyOrderSchema = z.object({
  id,
  name: text,
  email: text,
  contact_email: text,
  phone: text,
  created_at: text,
  customer: z.object({ first_name: text, last_name: text, email: text, phone: text }).nullish(),
  shipping_address: shopifyAddressSchema.nullish(),
  line_items: z.array(shopifyLineItemSchema).nullish(),
  fulfillments: z.array(shopifyFulfillmentSchema).nullish(),
});

export type ShopifyAddress = z.infer<typeof shopifyAddressSchema>;
export type ShopifyLineItem = z.infer<typeof shopifyLineItemSchema>;
export type ShopifyFulfillment = z.infer<typeof shopifyFulfillmentSchema>;
export type ShopifyOrder = z.infer<typeof shopifyOrderSchema>;

/** A numeric id, or the number at the end of a GraphQL id ("gid://shopify/Order/123"). */
export function shopifyIdOf(value: string | number | null | undefined): string | null {
  const text = value == null ? "" : String(value).trim();
  if (!text) return null;
  return /^\d+$/.test(text) ? text : (text.match(/\/(\d+)$/)?.[1] ?? null);
}

function requireIds(
  fulfillment: ShopifyFulfillment,
  context: z.RefinementCtx,
  path: (string | number)[],
  orderId: string | number | null | undefined,
) {
  if (!shopifyIdOf(fulfillment.id) && !shopifyIdOf(fulfillment.admin_graphql_api_id))
    context.addIssue({ code: "custom", path: [...path, "id"], message: "the fulfillment has no id" });
  if (!shopifyIdOf(fulfillment.order_id) && !shopifyIdOf(orderId))
    context.addIssue({
      code: "custom",
      path: [...path, "order_id"],
      message: "the fulfillment has no order id",
    });
}

const fulfillmentDelivery = shopifyFulfillmentSchema.superRefine((fulfillment, context) =>
  requireIds(fulfillment, context, [], null),
);

const orderDelivery = shopifyOrderSchema.superRefine((order, context) => {
  if (!shopifyIdOf(order.id))
    context.addIssue({ code: "custom", path: ["id"], message: "the order has no id" });
  order.fulfillments?.forEach((fulfillment, i) =>
    requireIds(fulfillment, context, ["fulfillments", i], order.id),
  );
});

/** What one delivery says: its fulfillments, each with its order when Shopify sent it. */
export type DeliveredFulfillment = { fulfillment: ShopifyFulfillment; order: ShopifyOrder | null };

export type ParsedPayload =
  { success: true; fulfillments: DeliveredFulfillment[] } | { success: false; reason: string };

const MAX_ISSUES = 5;

/** A delivery's JSON body → its fulfillments, or why it cannot be read (for people, not code). */
export function parseFulfillmentPayload(topic: FulfillmentTopic, body: string | null): ParsedPayload {
  let json: unknown;
  try {
    json = JSON.parse(body ?? "null");
  } catch {
    return { success: false, reason: "Shopify's payload is not JSON" };
  }
  if (topic === "orders/fulfilled") {
    const parsed = orderDelivery.safeParse(json);
    if (!parsed.success) return { success: false, reason: describeIssues(parsed.error) };
    const order = parsed.data;
    return {
      success: true,
      fulfillments: (order.fulfillments ?? []).map((fulfillment) => ({
        fulfillment: { ...fulfillment, order_id: fulfillment.order_id ?? order.id },
        order,
      })),
    };
  }
  const parsed = fulfillmentDelivery.safeParse(json);
  if (!parsed.success) return { success: false, reason: describeIssues(parsed.error) };
  return { success: true, fulfillments: [{ fulfillment: parsed.data, order: null }] };
}

function describeIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const where = issue.path.join(".");
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length > MAX_ISSUES ? ` (and ${error.issues.length - MAX_ISSUES} more)` : "";
  return `Shopify's payload cannot be read: ${issues.join("; ")}${more}`;
}
