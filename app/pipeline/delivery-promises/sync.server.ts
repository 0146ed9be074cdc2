import prisma from "~/db/client.server";
import { logger } from "~/logger.server";
import {
  PROMISE_SOURCE_SELECT,
  derivePromise,
  isInTransit,
  IN_TRANSIT_STATUSES,
  type DerivedPromise,
} from "~/models/delivery-promise/derive.server";
import { addDays, estimateDays } from "~/models/delivery-promise/estimate";
import { rebuildDailyStats } from "~/models/delivery-promise/rollup.server";
import { RouteData, routeId, type RouteKey } from "~/models/delivery-promise/routes.server";

// The delivery-promise job follows the Tracking table in update order (a cursor, so the status
// pipeline needs no hook): each changed tracking's promise row is derived again, a parcel in
// transit gets an estimate, and the analytics days it belongs to are rebuilt.

const CURSOR = "delivery-promise";
const BATCH = 500;
/**
 * Rows updated this recently wait for the next round: a transaction that started earlier may
 * still commit a row with an older updatedAt, which a cursor already past it would never see.
 */
export const SETTLE_MS = 5_000;

const log = logger.child({ component: "delivery-promise" });

export interface SyncOptions {
  now?: Date;
  settleMs?: number;
  batch?: number;
}

interface EstimateFields {
  eddEarliestAt: Date | null;
  eddLatestAt: Date | null;
  eddConfidence: number | null;
  eddSource: string | null;
  eddShopDeliveries: number;
  eddCarrierDeliveries: number;
}

const NO_ESTIMATE: EstimateFields = {
  eddEarliestAt: null,
  eddLatestAt: null,
  eddConfidence: null,
  eddSource: null,
  eddShopDeliveries: 0,
  eddCarrierDeliveries: 0,
};

async function estimateFor(
  shop: string,
  { carrierCode, originCountry, destinationCountry }: RouteKey,
  shippedAt: Date,
  routes: RouteData,
  now: Date,
): Promise<EstimateFields> {
  const route = { carrierCode, originCountry, destinationCountry };
  const [carrier, history] = await Promise.all([
    routes.carrierDistribution(route, shop, now),
    routes.shopHistory(route, shop),
  ]);
  const range = estimateDays(carrier, history);
  if (!range) return NO_ESTIMATE;
  return {
    eddEarliestAt: addDays(shippedAt, range.lowDays),
    eddLatestAt: addDays(shippedAt, range.highDays),
    eddConfidence: range.confidence,
    eddSource: range.source,
    eddShopDeliveries: range.shopDeliveries,
    eddCarrierDeliveries: range.carrierDeliveries,
  };
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** Shopify's fulfillment events and the list's sort read the upper bound from the tracking row. */
async function storeUpperBound(trackingId: string, stored: Date | null, latest: Date | null) {
  if (sameTime(stored, latest)) return;
  await prisma.tracking.updateMany({ where: { id: trackingId }, data: { estimatedDeliveryAt: latest } });
}

/** One round: up to `batch` changed trackings. Returns how many it looked at. */
export async function syncDeliveryPromises(options: SyncOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  const settledBefore = new Date(Date.now() - (options.settleMs ?? SETTLE_MS));
  const cursor = await prisma.jobCursor.findUnique({ where: { name: CURSOR } });
  const from = cursor?.at ?? new Date(0);
  const afterId = cursor?.afterId ?? "";
  const rows = await prisma.tracking.findMany({
    where: {
      updatedAt: { gte: from, lte: settledBefore },
      OR: [{ updatedAt: { gt: from } }, { id: { gt: afterId } }],
    },
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
    take: options.batch ?? BATCH,
    select: {
      ...PROMISE_SOURCE_SELECT,
      syncState: true,
      promise: {
        select: {
          eddEarliestAt: true,
          eddLatestAt: true,
          eddConfidence: true,
          eddSource: true,
          eddShopDeliveries: true,
          eddCarrierDeliveries: true,
          deliveredAt: true,
        },
      },
    },
  });
  if (rows.length === 0) return 0;

  const routes = new RouteData();
  const days = new Set<string>();
  // Routes with a new delivery: the shop's parcels still on the way there are estimated again.
  const learned = new Map<string, { shop: string; route: RouteKey }>();
  for (const row of rows) {
    try {
      if (row.syncState === "deleted") {
        const removed = await prisma.deliveryPromise.deleteMany({ where: { trackingId: row.id } });
        if (removed.count > 0) days.add(`${row.shop}|${row.createdAt.toISOString().slice(0, 10)}`);
        continue;
      }
      const derived = derivePromise(row);
      // A parcel in transit is estimated afresh; a delivered one keeps the estimate it had on
      // the way, which is what "delivered within the estimate" is measured against.
      const estimate = isInTransit(derived.status)
        ? await estimateFor(row.shop, derived, derived.shippedAt, routes, now)
        : (row.promise ?? NO_ESTIMATE);
      await savePromise(row.id, row.updatedAt, derived, estimate);
      await storeUpperBound(row.id, row.estimatedDeliveryAt, estimate.eddLatestAt);
      days.add(`${row.shop}|${derived.shipDay}`);
      if (derived.deliveredAt && !row.promise?.deliveredAt) {
        const route = {
          carrierCode: derived.carrierCode,
          originCountry: derived.originCountry,
          destinationCountry: derived.destinationCountry,
        };
        learned.set(`${row.shop}|${routeId(route)}`, { shop: row.shop, route });
      }
    } catch (error) {
      // One bad row must not hold back the others; it is derived again at its next change.
      log.error({ err: error, trackingId: row.id }, "could not derive the delivery promise");
    }
  }
  for (const { shop, route } of learned.values()) await refreshRouteEstimates(route, now, shop);
  for (const key of days) {
    const [shop, day] = key.split("|");
    await rebuildDailyStats(shop, day);
  }
  const last = rows[rows.length - 1];
  await prisma.jobCursor.upsert({
    where: { name: CURSOR },
    create: { name: CURSOR, at: last.updatedAt, afterId: last.id },
    update: { at: last.updatedAt, afterId: last.id },
  });
  return rows.length;
}

async function savePromise(
  trackingId: string,
  trackingUpdatedAt: Date,
  derived: DerivedPromise,
  estimate: EstimateFields,
) {
  const data = {
    ...derived,
    eddEarliestAt: estimate.eddEarliestAt,
    eddLatestAt: estimate.eddLatestAt,
    eddConfidence: estimate.eddConfidence,
    eddSource: estimate.eddSource,
    eddShopDeliveries: estimate.eddShopDeliveries,
    eddCarrierDeliveries: estimate.eddCarrierDeliveries,
    trackingUpdatedAt,
  };
  await prisma.deliveryPromise.upsert({
    where: { trackingId },
    create: { trackingId, ...data },
    update: data,
  });
}

/**
 * After TrackingMore's figures for a route arrive or change (every shop), or a shop's own
 * deliveries there grow (that shop): its parcels in transit are estimated again.
 */
export async function refreshRouteEstimates(
  route: RouteKey,
  now = new Date(),
  shop?: string,
): Promise<number> {
  const routes = new RouteData();
  const promises = await prisma.deliveryPromise.findMany({
    where: { ...route, ...(shop ? { shop } : {}), status: { in: [...IN_TRANSIT_STATUSES] } },
    select: {
      trackingId: true,
      shop: true,
      shippedAt: true,
      tracking: { select: { estimatedDeliveryAt: true } },
    },
  });
  for (const p of promises) {
    const estimate = await estimateFor(p.shop, route, p.shippedAt, routes, now);
    await prisma.deliveryPromise.update({ where: { trackingId: p.trackingId }, data: estimate });
    await storeUpperBound(p.trackingId, p.tracking.estimatedDeliveryAt, estimate.eddLatestAt);
  }
  return promises.length;
}
