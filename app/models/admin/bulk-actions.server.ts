import { randomUUID } from "node:crypto";
import { pushTrackingChanges } from "~/pipeline/change-push/push-changes.server";
import { ValidationError } from "~/lib/errors.server";
import {
  queueTrackingChanges,
  queueTrackingDeletion,
  type TrackingChanges,
} from "~/pipeline/change-push/tracking-changes.server";
import { problemOf, type ProblemKind } from "./problems";

export const BULK_ACTIONS = [
  "archive",
  "unarchive",
  "markDelivered",
  "markException",
  "restoreStatus",
  "changeCarrier",
  "delete",
] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** Selections larger than this go through the background job only (and a page shows 250 at most). */
export const MAX_BULK_SELECTION = 250;

export interface BulkActionResult {
  action: BulkAction;
  /** Rows of this shop the action applied to. */
  applied: number;
  /** TrackingMore accepted these now. */
  synced: number;
  /** TrackingMore refused these; each with why, as a kind the page words. */
  failures: { id: string; trackingNumber: string; problem: ProblemKind }[];
  /** Saved, waiting for TrackingMore (down, or not created there yet). */
  waiting: number;
}

function changesFor(action: BulkAction, carrierCode?: string): TrackingChanges {
  switch (action) {
    case "archive":
      return { archived: true };
    case "unarchive":
      return { archived: false };
    case "markDelivered":
      return { manualStatus: 4 };
    case "markException":
      return { manualStatus: 7 };
    case "restoreStatus":
      return { manualStatus: 8 };
    case "changeCarrier":
      return { carrierCode: carrierCode ?? "" };
    default:
      return {};
  }
}

/**
 * Applies a merchant's bulk action: saved locally through the change queue first, then one push
 * round for exactly these rows, so the merchant sees TrackingMore's per-item answer. If
 * TrackingMore is down the rows stay queued and the background job sends them later.
 */
export async function runBulkAction(
  shop: string,
  action: string,
  trackingIds: string[],
  carrierCode?: string,
): Promise<BulkActionResult> {
  if (!(BULK_ACTIONS as readonly string[]).includes(action)) throw new ValidationError({ action: "invalid" });
  if (trackingIds.length === 0) throw new ValidationError({ ids: "required" });
  if (trackingIds.length > MAX_BULK_SELECTION) throw new ValidationError({ ids: "too_many" });
  const bulk = action as BulkAction;
  const leaseFor = `admin-${randomUUID()}`;
  const applied =
    bulk === "delete"
      ? (await queueTrackingDeletion(shop, trackingIds, { leaseFor })).queued
      : (await queueTrackingChanges(shop, trackingIds, changesFor(bulk, carrierCode), { leaseFor })).updated;
  const pushed = await pushTrackingChanges({ shop, trackingIds, leaseOwner: leaseFor });
  const localOnly = applied - pushed.synced - pushed.failed.length - pushed.waiting;
  return {
    action: bulk,
    applied,
    synced: pushed.synced + Math.max(0, bulk === "delete" ? localOnly : 0),
    failures: pushed.failed.map(({ id, trackingNumber, message }) => ({
      id,
      trackingNumber,
      problem: problemOf(message) ?? "unknown",
    })),
    waiting: pushed.waiting + Math.max(0, bulk === "delete" ? 0 : localOnly),
  };
}
