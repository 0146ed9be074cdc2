import prisma, { isUniqueConstraintError } from "~/db.server";

// The webhook's whole job: record the delivery, with its payload, once per webhook id. Nothing
// here calls TrackingMore, so Shopify gets its answer in milliseconds whatever TrackingMore does.

export const FULFILLMENT_TOPICS = ["fulfillments/create", "fulfillments/update", "orders/fulfilled"] as const;
export type FulfillmentTopic = (typeof FULFILLMENT_TOPICS)[number];

export interface ShopifyDelivery {
  shop: string;
  topic: FulfillmentTopic;
  webhookId: string;
  eventId?: string | null;
  triggeredAt?: string | null;
  payload: unknown;
  /** False when the shop has no offline session: uninstalled, or never installed. */
  shopInstalled: boolean;
}

export type DeliveryOutcome = "accepted" | "duplicate" | "dropped_uninstalled";

/** "FULFILLMENTS_CREATE" (the library's form) or "fulfillments/create" → "fulfillments/create". */
export function fulfillmentTopicOf(topic: string): FulfillmentTopic | null {
  const normalised = topic.toLowerCase().replace("_", "/");
  return (FULFILLMENT_TOPICS as readonly string[]).includes(normalised)
    ? (normalised as FulfillmentTopic)
    : null;
}

function dateOrNull(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export async function recordShopifyDelivery(delivery: ShopifyDelivery): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome = delivery.shopInstalled ? "accepted" : "dropped_uninstalled";
  try {
    await prisma.webhookDelivery.create({
      data: {
        webhookId: delivery.webhookId,
        shop: delivery.shop,
        topic: delivery.topic,
        eventId: delivery.eventId ?? null,
        triggeredAt: dateOrNull(delivery.triggeredAt),
        // A dropped delivery keeps its id (so a retry is still a duplicate) but not its data.
        payload: delivery.shopInstalled ? JSON.stringify(delivery.payload) : null,
        processedAt: delivery.shopInstalled ? null : new Date(),
        outcome: delivery.shopInstalled ? null : outcome,
      },
    });
    return outcome;
  } catch (error) {
    if (isUniqueConstraintError(error)) return "duplicate";
    throw error;
  }
}
