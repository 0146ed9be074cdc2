import { randomUUID } from "node:crypto";
import prisma, { insertStatements, isUniqueConstraintError, newRowId, type Prisma } from "~/db.server";
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

const BATCH_SIZE = 50;

interface ClaimedDelivery {
  webhookId: string;
  shop: string;
  topic: FulfillmentTopic;
  payload: string | null;
}

type ParsedDelivery = ClaimedDelivery &
  ({ outcome: "invalid" | "dropped_uninstalled" } | { outcome: "ingested"; mappings: FulfillmentMapping[] });

/** How long the oldest delivery not yet ingested has been waiting; 0 when none is. */
export async function ingestLagMs(now: Date = new Date()): Promise<number> {
  const oldest = await prisma.webhookDelivery.findFirst({
    where: { processedAt: null },
    orderBy: { receivedAt: "asc" },
    select: { receivedAt: true },
  });
  return oldest ? Math.max(0, now.getTime() - oldest.receivedAt.getTime()) : 0;
}

/**
 * One round: claims up to `limit` recorded deliveries and applies them. New fulfillments (the
 * common case) are written in one transaction per round; anything that touches rows we
 * already have (updates, cancellations, a parcel Shopify told us about twice) goes through
 * `applyFulfillment`, one fulfillment at a time.
 */
export async function ingestPendingDeliveries(
  options: { limit?: number; now?: Date; workerId?: string } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const workerId = options.workerId ?? `ingest-${process.pid}-${randomUUID().slice(0, 8)}`;
  const claimable = {
    processedAt: null,
    OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
  } satisfies Prisma.WebhookDeliveryWhereInput;
  const candidates = await prisma.webhookDelivery.findMany({
    where: claimable,
    orderBy: [{ receivedAt: "asc" }],
    take: options.limit ?? BATCH_SIZE,
    select: { webhookId: true },
  });
  if (candidates.length === 0) return 0;
  const ids = candidates.map((c) => c.webhookId);
  // The conditional update is the claim: a concurrent worker finds the lease taken.
  await prisma.webhookDelivery.updateMany({
    where: { ...claimable, webhookId: { in: ids } },
    data: { leaseOwner: workerId, leaseUntil: new Date(now.getTime() + LEASE_MS) },
  });
  const claimed = (await prisma.webhookDelivery.findMany({
    where: { webhookId: { in: ids }, leaseOwner: workerId, processedAt: null },
    orderBy: [{ receivedAt: "asc" }],
    select: { webhookId: true, shop: true, topic: true, payload: true },
  })) as ClaimedDelivery[];

  const byShop = new Map<string, ClaimedDelivery[]>();
  for (const delivery of claimed) byShop.set(delivery.shop, [...(byShop.get(delivery.shop) ?? []), delivery]);
  for (const [shop, deliveries] of byShop) await ingestShopDeliveries(shop, deliveries);
  return claimed.length;
}

async function ingestShopDeliveries(shop: string, deliveries: ClaimedDelivery[]) {
  const [context, shopRow] = await Promise.all([
    loadShopContext(shop),
    prisma.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } }),
  ]);
  const parsed = deliveries.map((d) => parseDelivery(d, context, Boolean(shopRow?.uninstalledAt)));

  // Which deliveries only add new fulfillments and new parcels: those are written in bulk.
  const mappings = parsed.flatMap((d) => (d.outcome === "ingested" ? d.mappings : []));
  const [knownFulfillments, knownNumbers] = await Promise.all([
    prisma.fulfillment.findMany({
      where: { shop, fulfillmentId: { in: mappings.map((m) => m.fulfillmentId) } },
      select: { fulfillmentId: true },
    }),
    prisma.tracking.findMany({
      where: { shop, trackingNumber: { in: mappings.flatMap((m) => m.trackingNumbers) } },
      select: { trackingNumber: true },
    }),
  ]);
  const seenFulfillments = new Set(knownFulfillments.map((f) => f.fulfillmentId));
  const seenNumbers = new Set(knownNumbers.map((t) => t.trackingNumber));
  const bulk: ParsedDelivery[] = [];
  const oneByOne: ParsedDelivery[] = [];
  for (const delivery of parsed) {
    const fresh =
      delivery.outcome !== "ingested" ||
      (delivery.topic !== "fulfillments/update" &&
        delivery.mappings.every(
          (m) =>
            m.shopifyStatus !== "cancelled" &&
            !seenFulfillments.has(m.fulfillmentId) &&
            m.trackingNumbers.every((n) => !seenNumbers.has(n)),
        ));
    (fresh ? bulk : oneByOne).push(delivery);
    // Later deliveries in this round that touch the same parcels see them as known.
    if (delivery.outcome === "ingested") {
      for (const m of delivery.mappings) {
        seenFulfillments.add(m.fulfillmentId);
        for (const n of m.trackingNumbers) seenNumbers.add(n);
      }
    }
  }

  try {
    await writeNewFulfillments(shop, bulk, context.settings);
  } catch (error) {
    // Another worker wrote some of these parcels meanwhile: take the careful path for all.
    if (!isUniqueConstraintError(error)) throw error;
    oneByOne.unshift(...bulk);
  }
  for (const delivery of oneByOne) {
    if (delivery.outcome === "ingested") {
      for (const mapping of delivery.mappings)
        await applyFulfillment(shop, delivery.topic, mapping, context.settings);
    }
    await markProcessed([delivery]);
  }
}

function parseDelivery(
  delivery: ClaimedDelivery,
  context: ShopContext,
  uninstalled: boolean,
): ParsedDelivery {
  // A delivery recorded just before the uninstall landed (sessions are cached briefly).
  if (uninstalled) return { ...delivery, outcome: "dropped_uninstalled" };
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.payload ?? "null");
  } catch {
    payload = null;
  }
  if (!payload || typeof payload !== "object") {
    log.warn({ shop: delivery.shop, topic: delivery.topic }, "delivery has no usable payload");
    return { ...delivery, outcome: "invalid" };
  }
  const mappings: FulfillmentMapping[] = [];
  for (const { fulfillment, order } of fulfillmentsOf(delivery.topic, payload)) {
    try {
      mappings.push(mapFulfillmentToTrackings(fulfillment, order, context.options));
    } catch (error) {
      if (!(error instanceof UnmappableFulfillmentError)) throw error;
      log.warn({ shop: delivery.shop, topic: delivery.topic, reason: error.message }, "fulfillment skipped");
    }
  }
  return { ...delivery, outcome: "ingested", mappings };
}

function markProcessed(deliveries: ParsedDelivery[]) {
  const byOutcome = new Map<string, string[]>();
  for (const d of deliveries) byOutcome.set(d.outcome, [...(byOutcome.get(d.outcome) ?? []), d.webhookId]);
  return prisma.$transaction(
    [...byOutcome].map(([outcome, webhookIds]) =>
      prisma.webhookDelivery.updateMany({
        where: { webhookId: { in: webhookIds } },
        data: { processedAt: new Date(), leaseOwner: null, leaseUntil: null, outcome, payload: null },
      }),
    ),
  );
}

async function writeNewFulfillments(shop: string, deliveries: ParsedDelivery[], settings: ShopSettingsView) {
  if (deliveries.length === 0) return;
  const now = new Date();
  const mappings = deliveries.flatMap((d) => (d.outcome === "ingested" ? d.mappings : []));
  const stamps = { createdAt: now, updatedAt: now };
  const fulfillments = mappings.map((m) => ({
    id: newRowId(),
    ...stamps,
    shop,
    fulfillmentId: m.fulfillmentId,
    ...fulfillmentFields(m, settings),
  }));
  const trackings = settings.createOnFulfillment
    ? mappings.flatMap((m) =>
        m.drafts.map((draft) => ({
          id: newRowId(),
          ...stamps,
          ...newTrackingRow(shop, draft),
          nextAttemptAt: now,
        })),
      )
    : [];
  const byOutcome = new Map<string, string[]>();
  for (const d of deliveries) byOutcome.set(d.outcome, [...(byOutcome.get(d.outcome) ?? []), d.webhookId]);
  // The busiest write of the pipeline, one per round: raw multi-row INSERTs (see insertStatements).
  await prisma.$transaction([
    ...[...insertStatements("Fulfillment", fulfillments), ...insertStatements("Tracking", trackings)].map(
      ({ sql, values }) => prisma.$executeRawUnsafe(sql, ...values),
    ),
    ...[...byOutcome].map(([outcome, webhookIds]) =>
      prisma.webhookDelivery.updateMany({
        where: { webhookId: { in: webhookIds } },
        data: { processedAt: now, leaseOwner: null, leaseUntil: null, outcome, payload: null },
      }),
    ),
  ]);
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

function fulfillmentFields(mapping: FulfillmentMapping, settings: ShopSettingsView) {
  return {
    orderId: mapping.orderId,
    orderName: mapping.orderName,
    shopifyStatus: mapping.shopifyStatus,
    shopifyUpdatedAt: mapping.shopifyUpdatedAt,
    trackingCompany: mapping.trackingCompany,
    trackingNumbers: JSON.stringify(mapping.trackingNumbers),
    note:
      mapping.note ??
      (settings.createOnFulfillment ? null : "Creating trackings on fulfillment is turned off in Settings"),
  };
}

/** A parcel's first row: waiting for the dispatcher to create it at TrackingMore. */
function newTrackingRow(shop: string, draft: TrackingDraft) {
  return {
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
    destinationPostcode: draft.destinationPostcode,
    logisticsChannel: draft.logisticsChannel,
    orderCreatedAt: draft.orderCreatedAt,
    syncState: "pending",
  };
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
  const fulfillmentData = fulfillmentFields(mapping, settings);
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
      await prisma.tracking.create({ data: newTrackingRow(shop, draft) });
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
