import prisma, { isUniqueConstraintError, type Prisma } from "~/db.server";
import type { Checkpoint, CarrierLeg, Tracking as RemoteTracking } from "~/trackingmore";
import { recordFulfillmentProgress } from "~/models/writeback/aggregate.server";
import type { FulfillmentEventStatus, StoredCheckpoint } from "~/models/writeback/event-mapping.server";
import { effectiveStatus } from "./effective-status.server";

// The one way a TrackingMore snapshot of a tracking (pushed or polled) reaches our rows.
// Snapshots can arrive twice or out of order: a snapshot older than the one stored is ignored,
// and the conditional update makes that hold even when two arrive at the same moment.

export type ApplyOutcome = "applied" | "unchanged" | "stale";

export interface ApplyResult {
  outcome: ApplyOutcome;
  statusChanged: boolean;
  /** The fulfillment event queued for Shopify by this snapshot, if any. */
  event: FulfillmentEventStatus | null;
}

/** The Tracking columns a snapshot is compared with and written to. */
export const SNAPSHOT_ROW_SELECT = {
  id: true,
  shop: true,
  fulfillmentId: true,
  carrierCode: true,
  trackingNumber: true,
  status: true,
  carrierStatus: true,
  substatus: true,
  manualStatus: true,
  lastEvent: true,
  lastEventAt: true,
  checkpoints: true,
  milestones: true,
  transitDays: true,
  remoteUpdatedAt: true,
  syncState: true,
  pendingChanges: true,
} satisfies Prisma.TrackingSelect;

export type SnapshotRow = Prisma.TrackingGetPayload<{ select: typeof SNAPSHOT_ROW_SELECT }>;

const MILESTONE_KEYS = [
  "itemReceived",
  "itemDispatched",
  "departFromAirport",
  "arrivalFromAbroad",
  "customsClearance",
  "destinationArrived",
] as const;

function legMilestones(leg: CarrierLeg | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!leg) return out;
  for (const key of MILESTONE_KEYS) {
    const value = leg[key];
    if (value) out[key] = value.toISOString();
  }
  return out;
}

function toStored(c: Checkpoint): StoredCheckpoint {
  return {
    time: c.time?.toISOString() ?? null,
    description: c.description,
    location: c.location,
    status: c.checkpointStatus,
    substatus: c.substatus,
    leg: c.leg,
  };
}

/** When TrackingMore last changed the tracking, as far as the snapshot tells. */
export function snapshotVersion(snapshot: RemoteTracking): Date | null {
  const times = [snapshot.updatedAt, snapshot.lastUpdateTime, snapshot.checkpoints[0]?.time ?? null]
    .filter((d): d is Date => d !== null)
    .map((d) => d.getTime());
  return times.length ? new Date(Math.max(...times)) : null;
}

function hasPendingStatusEdit(row: SnapshotRow): boolean {
  if (row.syncState !== "pending_update" || !row.pendingChanges) return false;
  try {
    const changes: unknown = JSON.parse(row.pendingChanges);
    // queueTrackingChanges keeps the merchant's edit as `manualStatus`; `status` is the wire name.
    return (
      typeof changes === "object" && changes !== null && ("manualStatus" in changes || "status" in changes)
    );
  } catch {
    return false;
  }
}

/** The row's new status columns from a snapshot (without deciding whether to write them). */
export function snapshotFields(row: SnapshotRow, snapshot: RemoteTracking) {
  const newest = snapshot.checkpoints[0];
  // With a manual status TrackingMore answers "4"/"7" instead of the carrier's status; the
  // newest checkpoint still tells what the carrier says.
  const carrierStatus = snapshot.manualStatus
    ? (newest?.checkpointStatus ?? row.carrierStatus ?? "pending")
    : snapshot.status;
  const substatus = snapshot.manualStatus ? (newest?.substatus ?? row.substatus) : snapshot.substatus;
  // A manual change the merchant made here and the dispatcher has not sent yet wins over
  // TrackingMore's older view; otherwise TrackingMore's manual status is the truth (8 = none).
  const manualStatus = hasPendingStatusEdit(row) ? row.manualStatus : snapshot.manualStatus;
  const milestones = {
    origin: legMilestones(snapshot.origin),
    destination: legMilestones(snapshot.destination),
  };
  return {
    carrierStatus,
    substatus,
    manualStatus,
    status: effectiveStatus(carrierStatus, manualStatus),
    lastEvent: newest?.description || snapshot.lastEvent || row.lastEvent,
    lastEventAt: newest?.time ?? snapshot.lastUpdateTime ?? row.lastEventAt,
    checkpoints: JSON.stringify([...snapshot.checkpoints].reverse().map(toStored)),
    milestones: JSON.stringify(milestones),
    transitDays: snapshot.transitDays ?? row.transitDays,
    originCountry: snapshot.originalCountry?.toUpperCase() || undefined,
  };
}

function checkpointCount(json: string | null): number {
  if (!json) return 0;
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.length : 0;
  } catch {
    return 0;
  }
}

const NO_CHECKPOINTS = "[]";
const NO_MILESTONES = JSON.stringify({ origin: {}, destination: {} });

const MAX_TRANSACTION_TRIES = 3;

function isRetryableConflict(error: unknown): boolean {
  // P2002: two parcels of one fulfillment queued the same event at once (PostgreSQL);
  // P2034: a write conflict or deadlock. Running the whole apply again settles both.
  return isUniqueConstraintError(error) || (error as { code?: unknown } | null)?.code === "P2034";
}

/**
 * Stores the snapshot on the row when it is not older than what is stored, and queues the
 * fulfillment's Shopify event in the same transaction.
 */
export async function applyTrackingSnapshot(
  row: SnapshotRow,
  snapshot: RemoteTracking,
  now: Date = new Date(),
): Promise<ApplyResult> {
  const version = snapshotVersion(snapshot);
  const stored = row.remoteUpdatedAt;
  if (stored && (!version || version < stored))
    return { outcome: "stale", statusChanged: false, event: null };
  const fields = snapshotFields(row, snapshot);
  if (
    stored &&
    version &&
    version.getTime() === stored.getTime() &&
    checkpointCount(fields.checkpoints) < checkpointCount(row.checkpoints)
  ) {
    return { outcome: "stale", statusChanged: false, event: null };
  }
  // A row TrackingMore has told us nothing about yet holds nulls where a snapshot of a parcel
  // with no scans holds empty values: the first poll after a big import must not rewrite (and
  // re-aggregate the fulfillment of) every new tracking just to say "still pending".
  const unchanged =
    fields.status === row.status &&
    fields.carrierStatus === (row.carrierStatus ?? row.status) &&
    (fields.substatus ?? null) === row.substatus &&
    fields.manualStatus === row.manualStatus &&
    fields.checkpoints === (row.checkpoints ?? NO_CHECKPOINTS) &&
    fields.milestones === (row.milestones ?? NO_MILESTONES) &&
    (fields.transitDays ?? null) === row.transitDays &&
    (fields.lastEvent ?? null) === row.lastEvent;
  if (unchanged) return { outcome: "unchanged", statusChanged: false, event: null };
  const statusChanged = fields.status !== row.status;

  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(async (tx) => {
        const { count } = await tx.tracking.updateMany({
          where: {
            id: row.id,
            OR: version
              ? [{ remoteUpdatedAt: null }, { remoteUpdatedAt: { lte: version } }]
              : [{ remoteUpdatedAt: null }],
          },
          data: {
            ...fields,
            remoteUpdatedAt: version ?? undefined,
            ...(statusChanged ? { statusUpdatedAt: now } : {}),
          },
        });
        // A newer snapshot was stored between our read and this write.
        if (count === 0) return { outcome: "stale" as const, statusChanged: false, event: null };
        const event = row.fulfillmentId
          ? await recordFulfillmentProgress(tx, row.shop, row.fulfillmentId, now)
          : null;
        return { outcome: "applied" as const, statusChanged, event };
      });
    } catch (error) {
      if (attempt >= MAX_TRANSACTION_TRIES || !isRetryableConflict(error)) throw error;
    }
  }
}
