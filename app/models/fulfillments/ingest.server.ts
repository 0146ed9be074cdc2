import prisma, { isUniqueConstraintError, type Prisma } from "~/db.server";
import { logger } from "~/logger.server";
import { loadCarrierOverrides } from "~/models/carriers/carriers.server";
import { getShopSettings, type ShopSettingsView } from "~/models/settings.server";
import {
  isAtTrackingMore,
  queueTrackingChanges,
  queueTrackingDeletion,
} from "~/models/tracking-changes.server";
import {
  mapFulfillmentToTrackings,
  UnmappableFulfillmentError,
  type FulfillmentMapping,
  type MappingOptions,
  type TrackingDraft,
} from "./mapping.server";
import type { FulfillmentTopic } from "./inbox.server";
import type { ShopifyFulfillment, ShopifyOrder } from "./shopify-payloads";

// Turns recorded deliveries into Fulfillment and Tracking rows. Every step is idempotent, so a
// delivery whose ingest was interrupted (crash, restart) is simply ingested again when its
// lease runs out; it is marked processed only when all of it is applied.

const LEASE_MS = 60_000;
const log = logger.child({ component: "ingest" });

export async function ingestPendingDeliveries(options: { limit?: number; now?: Date } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const candidates = await prisma.webhookDelivery.findMany({
    where: { processedAt: null, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    orderBy: [{ receivedAt: "asc" }],
    take: options.limit ?? 100,
    select: { webhookId: true },
  });
  let handled = 0;
  const context = new Map<string, Promise<ShopContext>>();
  for (const { webhookId } of candidates) {
    // Claim it: a concurrent worker's conditional update finds the lease taken and moves on.
    const claimed = await prisma.webhookDelivery.updateMany({
      where: { webhookId, processedAt: null, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      data: { leaseUntil: new Date(now.getTime() + LEASE_MS) },
    });
    if (claimed.count === 0) continue;
    const delivery = await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId } });
    let shopContext = context.get(delivery.shop);
    if (!shopContext) {
      shopContext = loadShopContext(delivery.shop);
      context.set(delivery.shop, shopContext);
    }
    const outcome = await ingestDelivery(
      delivery.shop,
      delivery.topic as FulfillmentTopic,
      delivery.payload,
      await shopContext,
    );
    await prisma.webhookDelivery.update({
      where: { webhookId },
      data: { processedAt: new Date(), leaseUntil: null, outcome, payload: null },
    });
    handled += 1;
  }
  return handled;
}

interface ShopContext {
  settings: ShopSettingsView;
  options: MappingOptions;
}

async function loadShopContext(shop: string): Promise<ShopContext> {
  const [settings, carrierOverrides] = await Promise.all([getShopSettings(shop), loadCarrierOverrides(shop)]);
  return {
    settings,
    options: {
      orderIdFormat: settings.orderIdFormat,
      titleTemplate: settings.titleTemplate,
      carrierOverrides,
    },
  };
}

function fulfillmentsOf(
  topic: FulfillmentTopic,
  payload: unknown,
): { fulfillment: ShopifyFulfillment; order: ShopifyOrder | null }[] {
  if (topic === "orders/fulfilled") {
    const order = payload as ShopifyOrder;
    return (order.fulfillments ?? []).map((fulfillment) => ({
      fulfillment: { ...fulfillment, order_id: fulfillment.order_id ?? order.id },
      order,
    }));
  }
  return [{ fulfillment: payload as ShopifyFulfillment, order: null }];
}

async function ingestDelivery(
  shop: string,
  topic: FulfillmentTopic,
  rawPayload: string | null,
  context: ShopContext,
) {
  let payload: unknown;
  try {
    payload = JSON.parse(rawPayload ?? "null");
  } catch {
    payload = null;
  }
  if (!payload || typeof payload !== "object") {
    log.warn({ shop, topic }, "delivery has no usable payload");
    return "invalid";
  }
  for (const { fulfillment, order } of fulfillmentsOf(topic, payload)) {
    let mapping: FulfillmentMapping;
    try {
      mapping = mapFulfillmentToTrackings(fulfillment, order, context.options);
    } catch (error) {
      if (error instanceof UnmappableFulfillmentError) {
        log.warn({ shop, topic, reason: error.message }, "fulfillment skipped");
        continue;
      }
      throw error;
    }
    await applyFulfillment(shop, topic, mapping, context.settings);
  }
  return "ingested";
}

/** Applies one fulfillment's state; safe to repeat. Exported for the backfill. */
export async function applyFulfillment(
  shop: string,
  topic: FulfillmentTopic | "backfill",
  mapping: FulfillmentMapping,
  settings: ShopSettingsView,
): Promise<{ created: number }> {
  const existing = await prisma.fulfillment.findUnique({
    where: { shop_fulfillmentId: { shop, fulfillmentId: mapping.fulfillmentId } },
  });
  // Shopify delivers late and out of order: a payload older than what we applied changes nothing.
  if (
    existing?.shopifyUpdatedAt &&
    mapping.shopifyUpdatedAt &&
    mapping.shopifyUpdatedAt < existing.shopifyUpdatedAt
  ) {
    return { created: 0 };
  }
  const createDisabled = !settings.createOnFulfillment;
  const note =
    mapping.note ?? (createDisabled ? "Creating trackings on fulfillment is turned off in Settings" : null);
  const fulfillmentData = {
    orderId: mapping.orderId,
    orderName: mapping.orderName,
    shopifyStatus: mapping.shopifyStatus,
    shopifyUpdatedAt: mapping.shopifyUpdatedAt,
    trackingCompany: mapping.trackingCompany,
    trackingNumbers: JSON.stringify(mapping.trackingNumbers),
    note,
  };
  await prisma.fulfillment.upsert({
    where: { shop_fulfillmentId: { shop, fulfillmentId: mapping.fulfillmentId } },
    create: { shop, fulfillmentId: mapping.fulfillmentId, ...fulfillmentData },
    update: fulfillmentData,
  });

  const current = await prisma.tracking.findMany({ where: { shop, fulfillmentId: mapping.fulfillmentId } });

  if (mapping.shopifyStatus === "cancelled") {
    await applyCancellation(
      shop,
      current.map((t) => t.id),
      settings,
    );
    return { created: 0 };
  }

  // Numbers Shopify no longer lists for this fulfillment (a corrected typo): archive them.
  // Only fulfillments/update speaks for the whole fulfillment; orders/fulfilled may be older.
  if (topic === "fulfillments/update") {
    const removed = current.filter((t) => !mapping.trackingNumbers.includes(t.trackingNumber) && !t.archived);
    if (removed.length > 0)
      await applyCancellation(
        shop,
        removed.map((t) => t.id),
        { ...settings, cancelledFulfillmentAction: "archive" },
      );
  }
  if (createDisabled) return { created: 0 };

  let created = 0;
  for (const draft of mapping.drafts) {
    if (await upsertTrackingFromDraft(shop, draft)) created += 1;
  }
  return { created };
}

async function applyCancellation(shop: string, trackingIds: string[], settings: ShopSettingsView) {
  if (trackingIds.length === 0 || settings.cancelledFulfillmentAction === "keep") return;
  if (settings.cancelledFulfillmentAction === "delete") await queueTrackingDeletion(shop, trackingIds);
  else await queueTrackingChanges(shop, trackingIds, { archived: true });
}

const FILLABLE_FIELDS = [
  "orderName",
  "title",
  "customerName",
  "customerEmail",
  "customerPhone",
  "destinationCode",
  "logisticsChannel",
  "orderCreatedAt",
] as const;

/** Returns true when a new tracking row was created. */
async function upsertTrackingFromDraft(shop: string, draft: TrackingDraft): Promise<boolean> {
  // One parcel is one tracking, whichever topic told us first and whatever carrier we guessed.
  const existing = await prisma.tracking.findFirst({
    where: { shop, trackingNumber: draft.trackingNumber },
    orderBy: { createdAt: "asc" },
  });
  if (!existing) {
    try {
      await prisma.tracking.create({
        data: {
          shop,
          orderId: draft.orderId,
          orderName: draft.orderName,
          fulfillmentId: draft.fulfillmentId,
          trackingNumber: draft.trackingNumber,
          carrierCode: draft.carrierCode,
          carrierSource: draft.carrierSource,
          trackingCompany: draft.trackingCompany,
          title: draft.title,
          tmOrderId: draft.tmOrderId,
          customerName: draft.customerName,
          customerEmail: draft.customerEmail,
          customerPhone: draft.customerPhone,
          destinationCode: draft.destinationCode,
          logisticsChannel: draft.logisticsChannel,
          orderCreatedAt: draft.orderCreatedAt,
          syncState: "pending",
        },
      });
      return true;
    } catch (error) {
      // A concurrent ingest of the same parcel (orders/fulfilled racing fulfillments/create).
      if (isUniqueConstraintError(error)) return false;
      throw error;
    }
  }

  const notYetSent = !isAtTrackingMore(existing);
  // Fill what an earlier, thinner payload lacked (fulfillments/create has no order customer).
  const missing: Pick<Prisma.TrackingUpdateInput, (typeof FILLABLE_FIELDS)[number]> = {};
  for (const field of FILLABLE_FIELDS) {
    if (existing[field] == null && draft[field] != null) Object.assign(missing, { [field]: draft[field] });
  }
  const carrierChanged =
    draft.carrierCode !== "" &&
    draft.carrierCode !== existing.carrierCode &&
    existing.carrierSource !== "merchant";
  if (notYetSent) {
    const data: Prisma.TrackingUpdateInput = {
      ...missing,
      fulfillmentId: existing.fulfillmentId ?? draft.fulfillmentId,
    };
    if (carrierChanged)
      Object.assign(data, {
        carrierCode: draft.carrierCode,
        carrierSource: draft.carrierSource,
        trackingCompany: draft.trackingCompany,
        syncState: "pending",
      });
    await prisma.tracking.update({ where: { id: existing.id }, data });
    return false;
  }
  const changes: Parameters<typeof queueTrackingChanges>[2] = {};
  if (missing.title) changes.title = draft.title;
  if (missing.customerName) changes.customerName = draft.customerName;
  if (missing.customerEmail) changes.customerEmail = draft.customerEmail;
  if (missing.customerPhone) changes.customerPhone = draft.customerPhone;
  if (missing.destinationCode) changes.destinationCode = draft.destinationCode;
  if (missing.logisticsChannel) changes.logisticsChannel = draft.logisticsChannel;
  if (carrierChanged) changes.carrierCode = draft.carrierCode;
  if (Object.keys(changes).length > 0) await queueTrackingChanges(shop, [existing.id], changes);
  if (missing.orderName || missing.orderCreatedAt) {
    await prisma.tracking.update({
      where: { id: existing.id },
      data: {
        orderName: existing.orderName ?? draft.orderName,
        orderCreatedAt: existing.orderCreatedAt ?? draft.orderCreatedAt,
      },
    });
  }
  return false;
}
