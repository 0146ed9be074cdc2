import prisma from "~/db/client.server";
import { NOT_AT_TRACKINGMORE } from "~/models/tracking-state";
import { ValidationError } from "~/lib/errors.server";
import { isKnownCarrierCode } from "~/models/carriers/carriers.server";
import { manualStatusFields } from "~/models/tracking-status/effective-status.server";
import { recordFulfillmentProgress } from "~/pipeline/write-back/aggregate.server";
import { EDITABLE_TEXT_FIELDS } from "../../models/tracking-fields";

// The durable change queue. A merchant's edit is written to our database first, in the same
// statement that records it as waiting for TrackingMore; the push job
// (app/pipeline/change-push/push-changes.server.ts) sends it later. If TrackingMore is down, nothing
// the merchant typed is lost: it waits in `pendingChanges`.

export type TrackingChanges = {
  title?: string | null;
  tmOrderId?: string | null;
  customerName?: string | null;
  customerEmail?: string | null;
  customerPhone?: string | null;
  destinationCode?: string | null;
  logisticsChannel?: string | null;
  archived?: boolean;
  manualStatus?: 4 | 7 | 8;
  carrierCode?: string;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// TrackingMore carrier codes are lower-case slugs ("usps", "china-ems", "dhl-germany").
const CARRIER_CODE = /^[a-z0-9][a-z0-9-]{1,59}$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;
const PHONE = /^\+?[0-9 ()-]{4,30}$/;
const MAX_TEXT = 255;

/** A row is at TrackingMore once the dispatch stage created it there. */
export function isAtTrackingMore(row: { syncState: string }): boolean {
  return !(NOT_AT_TRACKINGMORE as readonly string[]).includes(row.syncState);
}

/** Trims, turns "" into null, and checks every field; throws before anything is saved. */
export function validateTrackingChanges(changes: TrackingChanges): TrackingChanges {
  const clean: TrackingChanges = {};
  const fieldErrors: Record<string, string> = {};
  for (const field of EDITABLE_TEXT_FIELDS) {
    if (!(field in changes)) continue;
    const raw = changes[field];
    if (raw !== null && raw !== undefined && typeof raw !== "string") {
      fieldErrors[field] = "invalid";
      continue;
    }
    let value = raw === undefined || raw === null ? null : raw.trim() || null;
    if (value !== null && value.length > MAX_TEXT) fieldErrors[field] = "too_long";
    if (field === "customerEmail" && value !== null && !EMAIL.test(value))
      fieldErrors[field] = "invalid_email";
    if (field === "customerPhone" && value !== null && !PHONE.test(value))
      fieldErrors[field] = "invalid_phone";
    if (field === "destinationCode" && value !== null) {
      value = value.toUpperCase();
      if (!COUNTRY_CODE.test(value)) fieldErrors[field] = "invalid_country";
    }
    clean[field] = value;
  }
  if ("archived" in changes && changes.archived !== undefined) {
    if (typeof changes.archived !== "boolean") fieldErrors.archived = "invalid";
    else clean.archived = changes.archived;
  }
  if ("manualStatus" in changes && changes.manualStatus !== undefined) {
    const status = Number(changes.manualStatus);
    if (status !== 4 && status !== 7 && status !== 8) fieldErrors.manualStatus = "invalid_status";
    else clean.manualStatus = status;
  }
  if ("carrierCode" in changes && changes.carrierCode !== undefined) {
    const code = typeof changes.carrierCode === "string" ? changes.carrierCode.trim().toLowerCase() : "";
    if (!CARRIER_CODE.test(code) || !isKnownCarrierCode(code)) fieldErrors.carrierCode = "unknown_carrier";
    else clean.carrierCode = code;
  }
  if (Object.keys(fieldErrors).length > 0) throw new ValidationError(fieldErrors);
  return clean;
}

/** Columns written at once for every row, whether or not TrackingMore has it yet. */
function localColumns(changes: TrackingChanges, row: { carrierStatus: string | null }, now: Date) {
  const data: Record<string, unknown> = {};
  for (const field of EDITABLE_TEXT_FIELDS) if (field in changes) data[field] = changes[field];
  if (changes.archived !== undefined) data.archived = changes.archived;
  // Shown at once (8 hands the status back to the carrier's); TrackingMore's next answer is
  // the final word.
  if (changes.manualStatus !== undefined)
    Object.assign(data, manualStatusFields(row, changes.manualStatus, now));
  return data;
}

export function parsePendingChanges(json: string | null): TrackingChanges {
  if (!json) return {};
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as TrackingChanges) : {};
  } catch {
    return {};
  }
}

export interface QueueOptions {
  /**
   * A caller that pushes these rows itself right away (the admin, to show TrackingMore's answer)
   * leases them in the same write, so the background job does not take them first. If that push
   * never happens, the lease runs out and the background job sends them.
   */
  leaseFor?: string;
}

/** How long a caller's lease from `queueTrackingChanges` holds the rows. */
export const QUEUE_LEASE_MS = 120_000;

function leaseColumns(options: QueueOptions, now: Date) {
  return options.leaseFor
    ? { leaseOwner: options.leaseFor, leaseUntil: new Date(now.getTime() + QUEUE_LEASE_MS) }
    : {};
}

/**
 * Saves the merchant's changes to the shop's trackings and queues them for TrackingMore.
 * Ids of other shops, and rows already queued for deletion, are ignored.
 */
export async function queueTrackingChanges(
  shop: string,
  trackingIds: string[],
  changes: TrackingChanges,
  options: QueueOptions = {},
): Promise<{ updated: number }> {
  const clean = validateTrackingChanges(changes);
  if (Object.keys(clean).length === 0 || trackingIds.length === 0) return { updated: 0 };
  const now = new Date();

  const updated = await prisma.$transaction(async (tx) => {
    const rows = await tx.tracking.findMany({
      where: { shop, id: { in: [...new Set(trackingIds)] }, syncState: { not: "pending_delete" } },
      select: {
        id: true,
        syncState: true,
        trackingMoreId: true,
        pendingChanges: true,
        trackingNumber: true,
        leaseUntil: true,
        carrierStatus: true,
        fulfillmentId: true,
        deadAt: true,
      },
    });
    if (clean.carrierCode !== undefined) await refuseCarrierClash(tx, shop, rows, clean.carrierCode);
    for (const row of rows) {
      const data = localColumns(clean, row, now);
      if (isAtTrackingMore(row)) {
        const pending = { ...parsePendingChanges(row.pendingChanges), ...clean };
        Object.assign(data, {
          pendingChanges: JSON.stringify(pending),
          syncState: "pending_update",
          nextAttemptAt: now,
          attempts: 0,
          lastError: null,
          // A new edit is the merchant's answer to a refusal: the row leaves the dead letters.
          deadAt: null,
          // A row another worker is sending keeps its lease; that worker sees the new edit.
          ...(row.leaseUntil && row.leaseUntil > now ? {} : leaseColumns(options, now)),
        });
      } else if (clean.carrierCode !== undefined) {
        // Not created yet: the create uses the new carrier, and a row that only lacked one can go.
        Object.assign(data, { carrierCode: clean.carrierCode, carrierSource: "merchant" });
        if (row.syncState === "needs_carrier" || row.deadAt) {
          Object.assign(data, {
            syncState: "pending",
            nextAttemptAt: now,
            lastError: null,
            deadAt: null,
            attempts: 0,
          });
        }
      }
      await tx.tracking.update({ where: { id: row.id }, data });
    }
    // A status the merchant set is shipment progress too: Shopify hears of it, once.
    if (clean.manualStatus !== undefined) {
      const fulfillmentIds = new Set(
        rows.map((r) => r.fulfillmentId).filter((id): id is string => Boolean(id)),
      );
      for (const fulfillmentId of fulfillmentIds)
        await recordFulfillmentProgress(tx, shop, fulfillmentId, now);
    }
    return rows.length;
  });
  return { updated };
}

type Tx = Parameters<Parameters<typeof prisma.$transaction>[0]>[0];

// (shop, carrier, number) is unique: a carrier change that would duplicate a parcel is refused.
async function refuseCarrierClash(
  tx: Tx,
  shop: string,
  rows: { id: string; trackingNumber: string }[],
  carrierCode: string,
) {
  if (rows.length === 0) return;
  const clash = await tx.tracking.findFirst({
    where: {
      shop,
      carrierCode,
      trackingNumber: { in: rows.map((r) => r.trackingNumber) },
      id: { notIn: rows.map((r) => r.id) },
    },
    select: { id: true },
  });
  if (clash) throw new ValidationError({ carrierCode: "duplicate_tracking" });
}

/**
 * Deletes trackings: at once when TrackingMore never had them, otherwise after the push job
 * deleted them there (until then they are "pending_delete").
 */
export async function queueTrackingDeletion(
  shop: string,
  trackingIds: string[],
  options: QueueOptions = {},
): Promise<{ queued: number }> {
  if (trackingIds.length === 0) return { queued: 0 };
  const now = new Date();
  const ids = [...new Set(trackingIds)];
  return prisma.$transaction(async (tx) => {
    const rows = await tx.tracking.findMany({
      where: { shop, id: { in: ids } },
      select: { id: true, syncState: true, trackingMoreId: true },
    });
    const local = rows.filter((r) => !isAtTrackingMore(r)).map((r) => r.id);
    const remote = rows.filter((r) => isAtTrackingMore(r)).map((r) => r.id);
    if (local.length > 0) await tx.tracking.deleteMany({ where: { shop, id: { in: local } } });
    if (remote.length > 0) {
      await tx.tracking.updateMany({
        where: { shop, id: { in: remote }, OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }] },
        data: {
          syncState: "pending_delete",
          nextAttemptAt: now,
          attempts: 0,
          lastError: null,
          ...leaseColumns(options, now),
        },
      });
      // Rows another worker holds right now: queued without taking its lease.
      await tx.tracking.updateMany({
        where: { shop, id: { in: remote }, leaseUntil: { gt: now } },
        data: {
          syncState: "pending_delete",
          nextAttemptAt: now,
          attempts: 0,
          lastError: null,
        },
      });
    }
    return { queued: rows.length };
  });
}
