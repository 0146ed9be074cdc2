import type { TransactionClient } from "~/db/client.server";
import { insertStatements, newRowId } from "~/db/sql.server";
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

/** What the aggregate reads of each parcel of a fulfillment. */
export interface ParcelProgress {
  trackingNumber: string;
  status: string;
  substatus: string | null;
  manualStatus: number | null;
  checkpoints: string | null;
  lastEvent: string | null;
  lastEventAt: Date | null;
  statusUpdatedAt: Date | null;
  estimatedDeliveryAt: Date | null;
}

const PARCEL_PROGRESS_SELECT = {
  trackingNumber: true,
  status: true,
  substatus: true,
  manualStatus: true,
  checkpoints: true,
  lastEvent: true,
  lastEventAt: true,
  statusUpdatedAt: true,
  estimatedDeliveryAt: true,
} as const;

interface EventDraft {
  status: FulfillmentEventStatus;
  happenedAt: Date;
  message: string | null;
  city?: string | null;
  province?: string | null;
  country?: string | null;
  zip?: string | null;
  estimatedDeliveryAt: Date | null;
  trackingNumber: string;
}

/** The event the parcels' progress calls for (whether or not it was recorded already). */
function progressEvent(parcels: ParcelProgress[], now: Date): EventDraft | null {
  if (parcels.length === 0) return null;
  // Least advanced first; among equals the one that got there last decides when it happened,
  // and among those the first tracking number (not the order the database returned them in).
  const decisive = parcels.reduce((best, p) => {
    const byRank = progressRank(p.status) - progressRank(best.status);
    if (byRank !== 0) return byRank < 0 ? p : best;
    const byTime = (p.lastEventAt?.getTime() ?? 0) - (best.lastEventAt?.getTime() ?? 0);
    if (byTime !== 0) return byTime > 0 ? p : best;
    return p.trackingNumber < best.trackingNumber ? p : best;
  });
  const checkpoints = parseStoredCheckpoints(decisive.checkpoints);
  const status = fulfillmentEventStatusFor({
    status: decisive.status,
    // A manual status carries no carrier substatus of its own.
    substatus: activeManualStatus(decisive.manualStatus) ? null : decisive.substatus,
    checkpoints,
  });
  if (!status) return null;

  const newest = checkpoints[checkpoints.length - 1];
  const happenedAt =
    (newest?.time ? new Date(newest.time) : null) ?? decisive.lastEventAt ?? decisive.statusUpdatedAt ?? now;
  const latestEstimate = parcels
    .map((p) => p.estimatedDeliveryAt)
    .filter((d): d is Date => d !== null)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  return {
    status,
    happenedAt,
    message: newest?.description || decisive.lastEvent,
    ...placeOf(newest?.location),
    estimatedDeliveryAt: status === "DELIVERED" ? null : (latestEstimate ?? null),
    trackingNumber: decisive.trackingNumber,
  };
}

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
    select: PARCEL_PROGRESS_SELECT,
  });
  const draft = progressEvent(parcels, now);
  if (!draft) return null;

  const already = await tx.fulfillmentEventRecord.findUnique({
    where: { shop_fulfillmentId_status: { shop, fulfillmentId, status: draft.status } },
    select: { id: true },
  });
  if (already) return null;

  await tx.fulfillmentEventRecord.create({
    data: { shop, fulfillmentId, ...draft, state: "pending", nextAttemptAt: now },
  });
  return draft.status;
}

/** A parcel's state after one change, as the aggregate reads it. */
export type ParcelState = Omit<ParcelProgress, "estimatedDeliveryAt">;

export interface FulfillmentChanges {
  shop: string;
  fulfillmentId: string;
  /** Each changed parcel's state before the first change, by Tracking id. */
  before: Map<string, ParcelState>;
  /** The changes, in the order they were made: the parcel and its state afterwards. */
  changes: { parcelId: string; state: ParcelState }[];
}

export interface QueuedEvent {
  shop: string;
  fulfillmentId: string;
  status: FulfillmentEventStatus;
}

const FULFILLMENTS_A_QUERY = 200;

/**
 * recordFulfillmentProgress for many changed parcels at once, already stored in the caller's
 * transaction: queues the events that recordFulfillmentProgress, called after each change in
 * turn, would have queued (a parcel that moved twice can call for two events), reading every
 * fulfillment's parcels with one query and inserting the events with one statement.
 */
export async function recordFulfillmentsProgress(
  tx: TransactionClient,
  fulfillments: FulfillmentChanges[],
  now: Date,
): Promise<QueuedEvent[]> {
  if (fulfillments.length === 0) return [];
  const disabled = new Set(
    (
      await tx.shopSettings.findMany({
        where: { shop: { in: [...new Set(fulfillments.map((f) => f.shop))] }, writeBackEnabled: false },
        select: { shop: true },
      })
    ).map((s) => s.shop),
  );
  const enabled = fulfillments.filter((f) => !disabled.has(f.shop));

  const drafts: (EventDraft & { shop: string; fulfillmentId: string })[] = [];
  for (let start = 0; start < enabled.length; start += FULFILLMENTS_A_QUERY) {
    const chunk = enabled.slice(start, start + FULFILLMENTS_A_QUERY);
    const rows = await tx.tracking.findMany({
      where: {
        OR: [...groupBy(chunk, (f) => f.shop)].map(([shop, list]) => ({
          shop,
          fulfillmentId: { in: list.map((f) => f.fulfillmentId) },
        })),
        syncState: { notIn: GONE_SYNC_STATES },
      },
      select: { id: true, shop: true, fulfillmentId: true, ...PARCEL_PROGRESS_SELECT },
    });
    const parcelsOf = groupBy(rows, (r) => `${r.shop}\u0000${r.fulfillmentId}`);
    for (const fulfillment of chunk) {
      // The parcels as they were before the changes; then each change in turn.
      const parcels = new Map(
        (parcelsOf.get(`${fulfillment.shop}\u0000${fulfillment.fulfillmentId}`) ?? []).map((p) => {
          const before = fulfillment.before.get(p.id);
          return [p.id, before ? { ...before, estimatedDeliveryAt: p.estimatedDeliveryAt } : p];
        }),
      );
      const queued = new Set<string>();
      for (const { parcelId, state } of fulfillment.changes) {
        const parcel = parcels.get(parcelId);
        if (parcel) parcels.set(parcelId, { ...state, estimatedDeliveryAt: parcel.estimatedDeliveryAt });
        const draft = progressEvent([...parcels.values()], now);
        if (!draft || queued.has(draft.status)) continue;
        queued.add(draft.status);
        drafts.push({ shop: fulfillment.shop, fulfillmentId: fulfillment.fulfillmentId, ...draft });
      }
    }
  }
  if (drafts.length === 0) return [];

  const records = drafts.map((d) => ({
    id: newRowId(),
    shop: d.shop,
    fulfillmentId: d.fulfillmentId,
    status: d.status,
    happenedAt: d.happenedAt,
    message: d.message ?? null,
    city: d.city ?? null,
    province: d.province ?? null,
    country: d.country ?? null,
    zip: d.zip ?? null,
    estimatedDeliveryAt: d.estimatedDeliveryAt,
    trackingNumber: d.trackingNumber,
    state: "pending",
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  }));
  const queued: QueuedEvent[] = [];
  // An event recorded before (by an earlier round, or another worker just now) is kept as it is.
  for (const { sql, values } of insertStatements("FulfillmentEventRecord", records, {
    then: `ON CONFLICT ("shop", "fulfillmentId", "status") DO NOTHING RETURNING "shop", "fulfillmentId", "status"`,
  }))
    queued.push(...(await tx.$queryRawUnsafe<QueuedEvent[]>(sql, ...values)));
  return queued;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
