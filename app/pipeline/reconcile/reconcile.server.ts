import prisma from "~/db/client.server";
import { logger } from "~/logger.server";
import { trackingMoreClientForShop } from "~/models/settings.server";
import type { TrackingMoreClient } from "~/trackingmore";
import {
  applyTrackingSnapshot,
  SNAPSHOT_ROW_SELECT,
  snapshotVersion,
  type SnapshotRow,
} from "../../models/tracking-status/apply-snapshot.server";
import { isFinalStatus } from "../../models/tracking-status/effective-status.server";

// Polling: for shops whose pushes are not configured, and to catch pushes that never arrived.
// Each sweep pages through /trackings/get from the shop's cursor (TrackingMore's update time),
// as few calls as the page size allows; the client paces list calls at 1/s per account.

/** The API's largest page: the fewest list calls. */
export const MAX_PAGE_SIZE = 2000;
/** How often a shop is swept: often when no push can reach us, rarely as a safety net. */
export const SWEEP_INTERVAL_WITHOUT_PUSH_MS = 15 * 60_000;
export const SWEEP_INTERVAL_WITH_PUSH_MS = 2 * 3_600_000;
/** The next sweep starts a little before the last one did: changes made mid-sweep are seen. */
const CURSOR_OVERLAP_MS = 60_000;
/** Rows TrackingMore holds and whose status can still move. */
const LIVE_SYNC_STATES = ["synced", "pending_update"];

export interface ReconcileOptions {
  pageSize?: number;
  now?: () => Date;
  client?: TrackingMoreClient;
}

export interface SweepResult {
  listCalls: number;
  seen: number;
  applied: number;
  /** Snapshots of parcels already delivered or expired here: received, not applied. */
  skippedFinal: number;
}

const rowKey = (carrierCode: string, trackingNumber: string) => `${carrierCode}\u0000${trackingNumber}`;

// A page holds up to 2,000 numbers; one IN list that long exceeds what a statement may bind.
const LOOKUP_CHUNK = 500;

async function liveRowsFor(shop: string, trackingNumbers: string[]): Promise<SnapshotRow[]> {
  const rows: SnapshotRow[] = [];
  for (let i = 0; i < trackingNumbers.length; i += LOOKUP_CHUNK) {
    rows.push(
      ...(await prisma.tracking.findMany({
        where: {
          shop,
          trackingNumber: { in: trackingNumbers.slice(i, i + LOOKUP_CHUNK) },
          syncState: { in: LIVE_SYNC_STATES },
        },
        select: SNAPSHOT_ROW_SELECT,
      })),
    );
  }
  return rows;
}

/** One full sweep of a shop; moves the shop's cursor when it completes. */
export async function reconcileShopStatuses(
  shop: string,
  options: ReconcileOptions = {},
): Promise<SweepResult> {
  const clock = options.now ?? (() => new Date());
  const result: SweepResult = { listCalls: 0, seen: 0, applied: 0, skippedFinal: 0 };
  const client = options.client ?? (await trackingMoreClientForShop(shop));
  if (!client) return result;
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? MAX_PAGE_SIZE));
  const shopRow = await prisma.shop.findUnique({ where: { domain: shop }, select: { statusCursorAt: true } });
  const sweepStartedAt = clock();
  let newestSeen: Date | null = null;

  for (let page = 1; ; page++) {
    const listing = await client.listTrackings({
      updateTimeMin: shopRow?.statusCursorAt ?? undefined,
      limit,
      page,
    });
    result.listCalls++;
    result.seen += listing.items.length;

    const rows = await liveRowsFor(shop, [...new Set(listing.items.map((t) => t.trackingNumber))]);
    const byKey = new Map<string, SnapshotRow>(rows.map((r) => [rowKey(r.carrierCode, r.trackingNumber), r]));
    for (const snapshot of listing.items) {
      const version = snapshotVersion(snapshot);
      if (version && (!newestSeen || version > newestSeen)) newestSeen = version;
      const row = byKey.get(rowKey(snapshot.carrierCode, snapshot.trackingNumber));
      if (!row) continue;
      if (isFinalStatus(row.status)) {
        result.skippedFinal++;
        continue;
      }
      const applied = await applyTrackingSnapshot(row, snapshot, clock());
      if (applied.outcome === "applied") result.applied++;
    }
    if (listing.items.length === 0 || page * listing.limit >= listing.total) break;
  }

  // TrackingMore's clock and ours may differ: never start after either of them says "now".
  const horizon = newestSeen && newestSeen < sweepStartedAt ? newestSeen : sweepStartedAt;
  await prisma.shop.updateMany({
    where: { domain: shop },
    data: { statusCursorAt: new Date(horizon.getTime() - CURSOR_OVERLAP_MS), statusPolledAt: clock() },
  });
  return result;
}

/**
 * The next shop due for a sweep, claimed by moving its statusPolledAt (so two workers never
 * sweep one shop at once); null when none is due.
 */
export async function claimShopDueForSweep(now: Date): Promise<string | null> {
  const withPushDue = new Date(now.getTime() - SWEEP_INTERVAL_WITH_PUSH_MS);
  const withoutPushDue = new Date(now.getTime() - SWEEP_INTERVAL_WITHOUT_PUSH_MS);
  const candidates = await prisma.shopSettings.findMany({
    where: { trackingMoreApiKeyCipher: { not: null } },
    select: { shop: true, trackingMoreAccountEmailCipher: true },
  });
  if (candidates.length === 0) return null;
  const shops = await prisma.shop.findMany({
    where: {
      domain: { in: candidates.map((c) => c.shop) },
      uninstalledAt: null,
    },
    select: { domain: true, statusPolledAt: true },
    orderBy: { statusPolledAt: { sort: "asc", nulls: "first" } },
  });
  const hasPush = new Map(candidates.map((c) => [c.shop, Boolean(c.trackingMoreAccountEmailCipher)]));
  for (const shop of shops) {
    const due = hasPush.get(shop.domain) ? withPushDue : withoutPushDue;
    if (shop.statusPolledAt && shop.statusPolledAt > due) continue;
    const live = await prisma.tracking.findFirst({
      where: {
        shop: shop.domain,
        syncState: { in: LIVE_SYNC_STATES },
        status: { notIn: ["delivered", "expired"] },
      },
      select: { id: true },
    });
    if (!live) continue;
    const claimed = await prisma.shop.updateMany({
      where: { domain: shop.domain, statusPolledAt: shop.statusPolledAt },
      data: { statusPolledAt: now },
    });
    if (claimed.count === 1) return shop.domain;
  }
  return null;
}

/** One round of the reconcile job: sweeps one due shop. Returns the snapshots applied + 1, or 0. */
export async function reconcileNextShop(options: ReconcileOptions = {}): Promise<number> {
  const clock = options.now ?? (() => new Date());
  const shop = await claimShopDueForSweep(clock());
  if (!shop) return 0;
  try {
    const result = await reconcileShopStatuses(shop, options);
    logger.child({ component: "reconcile" }).info({ shop, ...result }, "status sweep finished");
    return result.applied + 1;
  } catch (error) {
    logger
      .child({ component: "reconcile" })
      .warn({ shop, err: error }, "status sweep failed; retried next round");
    return 0;
  }
}
