import type { TransactionClient } from "~/db/client.server";
import { activeManualStatus } from "~/models/tracking-status/effective-status.server";
import {
  fulfillmentEventStatusFor,
  parseStoredCheckpoints,
  placeOf,
  progressRank,
  type FulfillmentEventStatus,
} from "./event-mapping.server";

// A fulfillment's progress is its least advanced parcel's. When that maps to a Shopify event
// not yet recorded for the fulfillment, a "pending" FulfillmentEventRecord is inserted in the
// caller's transaction (the one that stored the status), so a crash after the status is stored
// can never lose the event, and the unique (shop, fulfillmentId, status) key writes it once.

/** Parcels that no longer exist at TrackingMore do not hold their fulfillment back. */
const GONE_SYNC_STATES = ["pending_delete", "deleted"];

export async function recordFulfillmentProgress(
  tx: TransactionClient,
  shop: string,
  fulfillmentId: string,
  now: Date,
): Promise<FulfillmentEventStatus | null> {
  const settings = await tx.shopSettings.findUnique({ where: { shop }, select: { writeBackEnabled: true } });
  if (settings && !settings.writeBackEnabled) return null;

  const parcels = await tx.tracking.findMany({
    where: { shop, fulfillmentId, syncState: { notIn: GONE_SYNC_STATES } },
    select: {
      trackingNumber: true,
      status: true,
      substatus: true,
      manualStatus: true,
      checkpoints: true,
      lastEvent: true,
      lastEventAt: true,
      statusUpdatedAt: true,
      estimatedDeliveryAt: true,
    },
  });
  if (parcels.length === 0) return null;

  // Least advanced first; among equals the one that got there last decides when it happened.
  const decisive = parcels.reduce((best, p) => {
    const byRank = progressRank(p.status) - progressRank(best.status);
    if (byRank !== 0) return byRank < 0 ? p : best;
    return (p.lastEventAt?.getTime() ?? 0) > (best.lastEventAt?.getTime() ?? 0) ? p : best;
  });
  const checkpoints = parseStoredCheckpoints(decisive.checkpoints);
  const status = fulfillmentEventStatusFor({
    status: decisive.status,
    // A manual status carries no carrier substatus of its own.
    substatus: activeManualStatus(decisive.manualStatus) ? null : decisive.substatus,
    checkpoints,
  });
  if (!status) return null;

  const already = await tx.fulfillmentEventRecord.findUnique({
    where: { shop_fulfillmentId_status: { shop, fulfillmentId, status } },
    select: { id: true },
  });
  if (already) return null;

  const newest = checkpoints[checkpoints.length - 1];
  const happenedAt =
    (newest?.time ? new Date(newest.time) : null) ?? decisive.lastEventAt ?? decisive.statusUpdatedAt ?? now;
  const latestEstimate = parcels
    .map((p) => p.estimatedDeliveryAt)
    .filter((d): d is Date => d !== null)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  await tx.fulfillmentEventRecord.create({
    data: {
      shop,
      fulfillmentId,
      status,
      happenedAt,
      message: newest?.description || decisive.lastEvent,
      ...placeOf(newest?.location),
      estimatedDeliveryAt: status === "DELIVERED" ? null : (latestEstimate ?? null),
      trackingNumber: decisive.trackingNumber,
      state: "pending",
      nextAttemptAt: now,
    },
  });
  return status;
}
