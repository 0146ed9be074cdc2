import prisma from "~/db.server";
import { NotFoundError } from "~/lib/errors.server";
import {
  isAtTrackingMore,
  parsePendingChanges,
  type TrackingChanges,
} from "~/models/tracking-changes.server";
import { trackingMoreClientForShop } from "~/trackingmore.server";
import { estimateView, PROMISE_VIEW_SELECT } from "~/models/delivery-promise/view";
import { TrackingMoreError, type Tracking as RemoteTracking } from "~/trackingmore";

/** How often a merchant may ask TrackingMore for a realtime update of one parcel. */
export const REFRESH_COOLDOWN_MS = 5 * 60_000;

export interface CheckpointView {
  time: string | null;
  description: string;
  location: string | null;
  status: string | null;
}

export async function getTrackingDetail(shop: string, id: string) {
  const row = await prisma.tracking.findFirst({
    where: { id, shop, syncState: { not: "deleted" } },
    include: { promise: { select: PROMISE_VIEW_SELECT } },
  });
  if (!row) throw new NotFoundError(`No tracking ${id}`);
  return {
    id: row.id,
    trackingNumber: row.trackingNumber,
    carrierCode: row.carrierCode,
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
    syncState: row.syncState,
    lastError: row.lastError,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    pendingChanges: parsePendingChanges(row.pendingChanges) as TrackingChanges,
    atTrackingMore: isAtTrackingMore(row),
    checkpoints: parseCheckpoints(row.checkpoints),
    statusUpdatedAt: row.statusUpdatedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    estimate: estimateView(row.status, row.promise),
    remoteArea: row.promise?.remoteArea ?? null,
  };
}

export type TrackingDetail = Awaited<ReturnType<typeof getTrackingDetail>>;

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
        status: typeof c.checkpointStatus === "string" ? c.checkpointStatus : null,
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
    checkpointStatus: c.checkpointStatus,
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
