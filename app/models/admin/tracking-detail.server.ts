import { displaySyncState } from "./trackings-list.server";
import prisma from "~/db/client.server";
import { NotFoundError } from "~/lib/errors.server";
import {
  isAtTrackingMore,
  parsePendingChanges,
  type TrackingChanges,
} from "~/pipeline/change-push/tracking-changes.server";
import { trackingMoreClientForShop } from "~/models/settings.server";
import { estimateView, PROMISE_VIEW_SELECT } from "~/models/delivery-promise/view";
import { TrackingMoreError, type Tracking as RemoteTracking } from "~/trackingmore";
import { parseLastEvent } from "./last-event";
import { problemOf } from "./problems";

/** How often a merchant may ask TrackingMore for a realtime update of one parcel. */
export const REFRESH_COOLDOWN_MS = 5 * 60_000;

export interface CheckpointView {
  time: string | null;
  description: string;
  location: string | null;
  status: string | null;
  substatus: string | null;
}

/** The parcel's latest event: the newest checkpoint, else TrackingMore's one-line lastEvent. */
export interface LatestEvent {
  description: string;
  location: string | null;
  /** ISO instant when known (a checkpoint, or lastEventAt). */
  time: string | null;
  /** The carrier's own local time string when that is all there is. */
  carrierTime: string | null;
}

const DAY_MS = 86_400_000;
const FINAL_STATUSES = new Set(["delivered", "expired"]);

export async function getTrackingDetail(shop: string, id: string, now = new Date()) {
  const [row, settings] = await Promise.all([
    prisma.tracking.findFirst({
      where: { id, shop, syncState: { not: "deleted" } },
      include: { promise: { select: PROMISE_VIEW_SELECT } },
    }),
    prisma.shopSettings.findUnique({ where: { shop }, select: { writeBackEnabled: true } }),
  ]);
  if (!row) throw new NotFoundError(`No tracking ${id}`);
  const checkpoints = parseCheckpoints(row.checkpoints);
  return {
    id: row.id,
    trackingNumber: row.trackingNumber,
    carrierCode: row.carrierCode,
    carrierSource: row.carrierSource,
    trackingCompany: row.trackingCompany,
    orderId: row.orderId,
    orderName: row.orderName,
    title: row.title,
    tmOrderId: row.tmOrderId,
    customerName: row.customerName,
    customerEmail: row.customerEmail,
    customerPhone: row.customerPhone,
    destinationCode: row.destinationCode,
    logisticsChannel: row.logisticsChannel,
    archived: row.archived,
    status: row.status,
    substatus: row.substatus,
    manualStatus: row.manualStatus,
    lastEvent: row.lastEvent,
    lastEventAt: row.lastEventAt?.toISOString() ?? null,
    syncState: displaySyncState(row),
    /** What went wrong last, as a kind the page words (never the stored text: codes, API paths). */
    problem: problemOf(row.lastError),
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    pendingChanges: parsePendingChanges(row.pendingChanges) as TrackingChanges,
    atTrackingMore: isAtTrackingMore(row),
    checkpoints,
    latest: latestEvent(checkpoints, row.lastEvent, row.lastEventAt),
    daysInTransit: daysInTransit(row, checkpoints, now),
    estimatedDeliveryAt: row.estimatedDeliveryAt?.toISOString() ?? null,
    statusUpdatedAt: row.statusUpdatedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    estimate: estimateView(row.status, row.promise),
    remoteArea: row.promise?.remoteArea ?? null,
    statusWriteBack: statusWriteBack(row.fulfillmentId, settings?.writeBackEnabled ?? true),
  };
}

/**
 * Where a status the merchant sets goes besides TrackBridge and TrackingMore: to the Shopify
 * fulfillment as an event (which may email the customer: pipeline/write-back), unless the shop
 * turned write-back off or the tracking belongs to no fulfillment.
 */
export type StatusWriteBack = "shopify" | "off" | "no_fulfillment";

function statusWriteBack(fulfillmentId: string | null, writeBackEnabled: boolean): StatusWriteBack {
  if (!writeBackEnabled) return "off";
  return fulfillmentId ? "shopify" : "no_fulfillment";
}

export type TrackingDetail = Awaited<ReturnType<typeof getTrackingDetail>>;

function latestEvent(
  checkpoints: CheckpointView[],
  lastEvent: string | null,
  lastEventAt: Date | null,
): LatestEvent | null {
  const newest = checkpoints[0];
  if (newest)
    return {
      description: newest.description,
      location: newest.location,
      time: newest.time,
      carrierTime: null,
    };
  const parsed = parseLastEvent(lastEvent);
  if (!parsed) return null;
  return {
    description: parsed.description,
    location: parsed.location,
    time: lastEventAt?.toISOString() ?? null,
    carrierTime: lastEventAt ? null : parsed.time,
  };
}

/**
 * TrackingMore's own count when it gave one; else from the first carrier event (or, before any,
 * the tracking's creation) to the last event of a finished parcel, or to now.
 */
export function daysInTransit(
  row: { transitDays: number | null; createdAt: Date; status: string },
  checkpoints: CheckpointView[],
  now: Date,
): number {
  if (row.transitDays !== null) return row.transitDays;
  const times = checkpoints.map((c) => (c.time ? Date.parse(c.time) : NaN)).filter((t) => !Number.isNaN(t));
  const start = times.length > 0 ? Math.min(...times) : row.createdAt.getTime();
  const end = FINAL_STATUSES.has(row.status) && times.length > 0 ? Math.max(...times) : now.getTime();
  return Math.max(0, Math.floor((end - start) / DAY_MS));
}

const str = (value: unknown) => (typeof value === "string" && value ? value : null);

/** Stored checkpoints, newest first for the timeline. */
export function parseCheckpoints(json: string | null): CheckpointView[] {
  if (!json) return [];
  try {
    const list = JSON.parse(json) as unknown;
    if (!Array.isArray(list)) return [];
    return list
      .map((c: Record<string, unknown>) => ({
        time: typeof c.time === "string" ? c.time : null,
        description: typeof c.description === "string" ? c.description : "",
        location: typeof c.location === "string" ? c.location : null,
        // Stored as `status` by the push and the poller, as `checkpointStatus` by older refreshes.
        status: str(c.status) ?? str(c.checkpointStatus),
        substatus: str(c.substatus),
      }))
      .reverse();
  } catch {
    return [];
  }
}

export type RefreshOutcome = "refreshed" | "too_soon" | "not_at_trackingmore" | "no_api_key" | "unavailable";

/**
 * Asks TrackingMore for the carrier's latest (realtime: costs a call of its own, so at most once
 * per REFRESH_COOLDOWN_MS per parcel) and stores the status and checkpoints.
 */
export async function refreshTrackingNow(
  shop: string,
  id: string,
  now = new Date(),
): Promise<RefreshOutcome> {
  const row = await prisma.tracking.findFirst({ where: { id, shop } });
  if (!row) throw new NotFoundError(`No tracking ${id}`);
  if (!isAtTrackingMore(row) || !row.carrierCode) return "not_at_trackingmore";
  if (row.statusUpdatedAt && now.getTime() - row.statusUpdatedAt.getTime() < REFRESH_COOLDOWN_MS)
    return "too_soon";
  const client = await trackingMoreClientForShop(shop);
  if (!client) return "no_api_key";
  // Paused after a 429 (by any worker): the merchant should not wait minutes for an answer.
  if (await client.rateLimitedUntil()) return "unavailable";
  let remote: RemoteTracking | undefined;
  try {
    [remote] = await client.realtime({ trackingNumber: row.trackingNumber, carrierCode: row.carrierCode });
  } catch (error) {
    if (error instanceof TrackingMoreError) return "unavailable";
    throw error;
  }
  if (!remote) return "unavailable";
  const checkpoints = [...remote.checkpoints].reverse().map((c) => ({
    time: c.time?.toISOString() ?? null,
    description: c.description,
    location: c.location,
    status: c.checkpointStatus,
    substatus: c.substatus,
  }));
  await prisma.tracking.update({
    where: { id: row.id },
    data: {
      status: remote.status,
      substatus: remote.substatus,
      lastEvent: remote.lastEvent,
      lastEventAt: remote.lastUpdateTime,
      transitDays: remote.transitDays,
      checkpoints: JSON.stringify(checkpoints),
      statusUpdatedAt: now,
    },
  });
  return "refreshed";
}
