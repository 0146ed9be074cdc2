import prisma from "~/db.server";

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

/**
 * Prisma stores DateTime on SQLite as this text form; raw SQL must write the same, so that
 * Prisma's own comparisons on the column keep working. PostgreSQL parses it as a timestamp.
 */
function storedDateTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

export async function recordShopifyDelivery(delivery: ShopifyDelivery): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome = delivery.shopInstalled ? "accepted" : "dropped_uninstalled";
  const now = storedDateTime(new Date());
  const triggeredAt = dateOrNull(delivery.triggeredAt);
  // The one write on Shopify's clock, so it skips the query compiler: a plain INSERT that a
  // repeated webhook id turns into nothing (both SQLite and PostgreSQL speak ON CONFLICT).
  // A dropped delivery keeps its id (so a retry is still a duplicate) but not its data.
  const inserted = await prisma.$executeRaw`
    INSERT INTO "WebhookDelivery" ("webhookId", "shop", "topic", "eventId", "triggeredAt", "payload", "receivedAt", "processedAt", "outcome")
    VALUES (
      ${delivery.webhookId}, ${delivery.shop}, ${delivery.topic}, ${delivery.eventId ?? null},
      ${triggeredAt ? storedDateTime(triggeredAt) : null},
      ${delivery.shopInstalled ? JSON.stringify(delivery.payload) : null},
      ${now}, ${delivery.shopInstalled ? null : now}, ${delivery.shopInstalled ? null : outcome}
    )
    ON CONFLICT ("webhookId") DO NOTHING`;
  return inserted === 0 ? "duplicate" : outcome;
}
