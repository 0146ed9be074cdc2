import { appConfig } from "~/config.server";
import { queryOnRequestPath } from "~/db/client.server";
import { insertStatements } from "~/db/sql.server";
import { batchedCalls } from "~/lib/batched-calls.server";

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
  /** The body exactly as Shopify sent it (verified JSON), stored as is for the ingest job. */
  rawPayload: string;
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
 * Records a delivery once per webhook id; "duplicate" when the id was recorded before. Deliveries
 * arriving together are written by one statement (see batchedCalls): at webhook rates the
 * per-statement cost, not the row, is what Shopify would wait for.
 */
export const recordShopifyDelivery: (delivery: ShopifyDelivery) => Promise<DeliveryOutcome> = batchedCalls(
  insertDeliveries,
  { maxPending: () => appConfig().maxPendingWrites },
);

async function insertDeliveries(deliveries: ShopifyDelivery[]): Promise<DeliveryOutcome[]> {
  const now = new Date();
  // The one write on Shopify's clock, so it skips the query compiler: a plain INSERT in which a
  // webhook id seen before (or twice in this group) becomes nothing; RETURNING names the rows
  // written. A dropped delivery keeps its id (so a retry is still a duplicate) but not its data.
  const rows = deliveries.map((delivery) => ({
    webhookId: delivery.webhookId,
    shop: delivery.shop,
    topic: delivery.topic,
    eventId: delivery.eventId ?? null,
    triggeredAt: dateOrNull(delivery.triggeredAt),
    payload: delivery.shopInstalled ? delivery.rawPayload : null,
    receivedAt: now,
    processedAt: delivery.shopInstalled ? null : now,
    outcome: delivery.shopInstalled ? null : "dropped_uninstalled",
  }));
  const written: { webhookId: string }[] = [];
  for (const { sql, values } of insertStatements("WebhookDelivery", rows, {
    then: `ON CONFLICT ("webhookId") DO NOTHING RETURNING "webhookId"`,
  }))
    written.push(...(await queryOnRequestPath<{ webhookId: string }>(sql, values)));
  const firstWrite = new Set(written.map((row) => row.webhookId));
  return deliveries.map((delivery) => {
    // Only the first of two same-id deliveries in one group is the one written.
    if (!firstWrite.delete(delivery.webhookId)) return "duplicate";
    return delivery.shopInstalled ? "accepted" : "dropped_uninstalled";
  });
}
