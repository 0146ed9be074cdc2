import prisma from "~/db/client.server";
import { logger } from "~/logger.server";
import { parsePendingChanges, type TrackingChanges } from "~/pipeline/change-push/tracking-changes.server";
import { trackingMoreClientForShop } from "~/models/settings.server";
import {
  TrackingMoreError,
  classifyOutcome,
  type BatchItemError,
  type TrackingMoreClient,
  type TrackingPatch,
  type TrackingRef,
} from "~/trackingmore";
import { durableQueue, PermanentFailure, type Claim } from "~/pipeline/queue/durable-queue.server";

// Sends the change queue (tracking-changes.server.ts) to TrackingMore. Rows are claimed through
// the durable queue so two workers never push the same row; a row's result is written only if
// its pendingChanges did not change meanwhile, so an edit made during a push is never cleared
// unsent.

const BATCH = 200;
const NO_KEY_DELAY_MS = 5 * 60_000;

export interface PushOptions {
  /** Only these shops' / these rows' changes (a bulk action pushes its own rows at once). */
  shop?: string;
  trackingIds?: string[];
  /** Also claims rows this caller leased when it queued them (QueueOptions.leaseFor). */
  leaseOwner?: string;
  now?: () => Date;
}

export interface PushFailure {
  id: string;
  trackingNumber: string;
  message: string;
}

export interface PushResult {
  /** Rows TrackingMore accepted (updated, or deleted). */
  synced: number;
  /** Rows TrackingMore refused; they are dead-lettered ("needs attention") with lastError. */
  failed: PushFailure[];
  /** Rows left waiting (TrackingMore unreachable, no API key): they are sent later. */
  waiting: number;
}

type Row = {
  claim: Claim;
  id: string;
  shop: string;
  syncState: string;
  trackingNumber: string;
  carrierCode: string;
  pendingChanges: string | null;
  attempts: number;
};

export const changePushQueue = durableQueue({
  stage: "change-push",
  table: "Tracking",
  key: "id",
  leaseMs: 60_000,
  maxAttempts: 12,
  backoff: { firstMs: 30_000, maxMs: 30 * 60_000 },
});
const queue = changePushQueue;

/** One round: claims due rows, pushes them shop by shop, records each row's result. */
export async function pushTrackingChanges(options: PushOptions = {}): Promise<PushResult> {
  const now = options.now?.() ?? new Date();
  const result: PushResult = { synced: 0, failed: [], waiting: 0 };
  const rows = await claim(now, options);
  const byShop = new Map<string, Row[]>();
  for (const row of rows) byShop.set(row.shop, [...(byShop.get(row.shop) ?? []), row]);
  for (const [shop, shopRows] of byShop) {
    try {
      await queue.whileHeld(
        shopRows.map((r) => r.claim),
        () => pushShop(shop, shopRows, now, result),
      );
    } catch (error) {
      // Anything unexpected: each row is retried on its own, with back-off.
      logger.error({ err: error, shop }, "pushing tracking changes failed");
      for (const row of shopRows) await queue.fail(row.claim, error, { now }).catch(() => undefined);
      result.waiting += shopRows.length;
    }
  }
  return result;
}

const ROW_SELECT = {
  id: true,
  shop: true,
  syncState: true,
  trackingNumber: true,
  carrierCode: true,
  pendingChanges: true,
  attempts: true,
  leaseOwner: true,
} as const;

async function claim(now: Date, options: PushOptions): Promise<Row[]> {
  const conditions = [`"syncState" IN ('pending_update', 'pending_delete')`];
  const values: string[] = [];
  if (options.shop) {
    conditions.push(`"shop" = ?`);
    values.push(options.shop);
  }
  if (options.trackingIds) {
    if (options.trackingIds.length === 0) return [];
    conditions.push(`"id" IN (${options.trackingIds.map(() => "?").join(", ")})`);
    values.push(...options.trackingIds);
  }
  // Rows the caller leased when it queued them (a bulk action pushing its own rows) are its claims.
  const adopted = options.leaseOwner
    ? await prisma.tracking.findMany({
        where: {
          leaseOwner: options.leaseOwner,
          syncState: { in: ["pending_update", "pending_delete"] },
          deadAt: null,
          ...(options.shop ? { shop: options.shop } : {}),
          ...(options.trackingIds ? { id: { in: options.trackingIds } } : {}),
        },
        select: ROW_SELECT,
      })
    : [];
  const claims = await queue.claim({
    where: { sql: conditions.join(" AND "), values },
    orderBy: `"updatedAt"`,
    limit: BATCH,
    now,
  });
  const claimed = claims.length
    ? await prisma.tracking.findMany({
        where: { id: { in: claims.map((c) => c.key) }, leaseOwner: claims[0].token },
        select: ROW_SELECT,
      })
    : [];
  return [...adopted, ...claimed].map(({ leaseOwner, ...row }) => ({
    ...row,
    claim: { key: row.id, token: leaseOwner!, attempts: row.attempts },
  }));
}

const key = (ref: TrackingRef) => `${ref.carrierCode}\u0000${ref.trackingNumber}`;

async function pushShop(shop: string, rows: Row[], now: Date, result: PushResult) {
  const client = await trackingMoreClientForShop(shop);
  if (!client) {
    // Nothing can be sent without a key; the rows wait, and saving a key wakes them.
    await queue.release(
      rows.map((r) => r.claim),
      { nextAttemptAt: new Date(now.getTime() + NO_KEY_DELAY_MS) },
    );
    result.waiting += rows.length;
    return;
  }
  const deletions = rows.filter((r) => r.syncState === "pending_delete");
  const updates = rows.filter((r) => r.syncState === "pending_update");
  if (deletions.length > 0) await pushDeletions(client, deletions, now, result);
  if (updates.length > 0) await pushUpdates(client, updates, now, result);
}

async function pushDeletions(client: TrackingMoreClient, rows: Row[], now: Date, result: PushResult) {
  const outcome = await client.deleteManyAll(
    rows.map((r) => ({ carrierCode: r.carrierCode, trackingNumber: r.trackingNumber })),
  );
  const errors = new Map(outcome.errors.map((e) => [key(e), e]));
  for (const row of rows) {
    const error = errors.get(key(row));
    // Already gone at TrackingMore is what we wanted.
    if (!error || isNotFound(error)) {
      await prisma.tracking.deleteMany({
        where: { ...queue.fenced(row.claim), syncState: "pending_delete" },
      });
      result.synced += 1;
    } else {
      await recordFailure(row, error, now, result);
    }
  }
}

async function pushUpdates(client: TrackingMoreClient, rows: Row[], now: Date, result: PushResult) {
  const current = new Map(rows.map((r) => [r.id, { ...r }]));

  // A carrier change has its own endpoint and must address the parcel by its old carrier.
  for (const row of rows) {
    const changes = parsePendingChanges(row.pendingChanges);
    if (!changes.carrierCode || changes.carrierCode === row.carrierCode) continue;
    try {
      await client.changeCarrier(
        { carrierCode: row.carrierCode, trackingNumber: row.trackingNumber },
        changes.carrierCode,
      );
      await queue.updateFenced([row.claim], { carrierCode: changes.carrierCode, carrierSource: "merchant" });
      current.get(row.id)!.carrierCode = changes.carrierCode;
    } catch (error) {
      const itemError: BatchItemError = {
        carrierCode: row.carrierCode,
        trackingNumber: row.trackingNumber,
        code: error instanceof TrackingMoreError ? error.code : 0,
        message: error instanceof Error ? error.message : String(error),
      };
      await recordFailure(row, itemError, now, result);
      current.delete(row.id);
    }
  }

  const items: (TrackingRef & TrackingPatch)[] = [];
  const sentRows: Row[] = [];
  for (const row of current.values()) {
    const patch = toPatch(parsePendingChanges(row.pendingChanges));
    if (Object.keys(patch).length === 0) {
      await markSynced(row, now, result);
      continue;
    }
    items.push({ carrierCode: row.carrierCode, trackingNumber: row.trackingNumber, ...patch });
    sentRows.push(row);
  }
  if (items.length === 0) return;
  const outcome = await client.updateManyAll(items);
  const errors = new Map(outcome.errors.map((e) => [key(e), e]));
  const succeeded = new Set(outcome.succeeded.map(key));
  for (const row of sentRows) {
    const error = errors.get(key(row));
    if (error) await recordFailure(row, error, now, result);
    else if (succeeded.has(key(row)) || outcome.errors.length === 0) await markSynced(row, now, result);
    else {
      // TrackingMore named neither success nor failure for it: send it again later.
      await recordFailure(row, { ...row, code: 0, message: "no result for this tracking" }, now, result);
    }
  }
}

function toPatch(changes: TrackingChanges): TrackingPatch {
  const patch: TrackingPatch = {};
  // TrackingMore cannot clear a field by sending nothing; an emptied field is sent as "".
  const text = (v: string | null | undefined) => v ?? "";
  if ("title" in changes) patch.title = text(changes.title);
  if ("tmOrderId" in changes) patch.orderId = text(changes.tmOrderId);
  if ("customerName" in changes) patch.customerName = text(changes.customerName);
  if ("customerEmail" in changes) patch.customerEmail = text(changes.customerEmail);
  if ("customerPhone" in changes) patch.customerPhone = text(changes.customerPhone);
  if ("destinationCode" in changes) patch.destinationCode = text(changes.destinationCode);
  if ("logisticsChannel" in changes) patch.logisticsChannel = text(changes.logisticsChannel);
  if (changes.archived !== undefined) patch.archived = changes.archived;
  if (changes.manualStatus !== undefined) patch.status = changes.manualStatus;
  return patch;
}

function isNotFound(error: BatchItemError) {
  return classifyOutcome(error) === "not_found";
}

/** The account (key, quota, throttling) or the connection is the problem, not the row: it waits. */
function isTransient(error: BatchItemError) {
  const outcome = classifyOutcome(error);
  return (
    outcome === "transient" ||
    outcome === "rate_limited" ||
    outcome === "key_rejected" ||
    outcome === "quota_exhausted"
  );
}

async function markSynced(row: Row, now: Date, result: PushResult) {
  const changed = await prisma.tracking.updateMany({
    // Only if the merchant did not edit it while we were sending.
    where: { ...queue.fenced(row.claim), pendingChanges: row.pendingChanges, syncState: "pending_update" },
    data: {
      syncState: "synced",
      pendingChanges: null,
      attempts: 0,
      lastError: null,
      syncedAt: now,
      leaseOwner: null,
      leaseUntil: null,
    },
  });
  // Edited meanwhile: the newer edit goes out in the next round.
  if (changed.count === 0) await queue.release([row.claim], { nextAttemptAt: now });
  result.synced += 1;
}

async function recordFailure(row: Row, error: BatchItemError, now: Date, result: PushResult) {
  const message = `${error.code}: ${error.message}`;
  // TrackingMore refused it: dead-lettered for the merchant to look at; pendingChanges stays,
  // so nothing is lost, and a retry (or a new edit) sends it again.
  const outcome = await queue.fail(
    row.claim,
    isTransient(error) ? new Error(message) : new PermanentFailure(message),
    { now },
  );
  if (outcome === "dead") {
    result.failed.push({ id: row.id, trackingNumber: row.trackingNumber, message });
  } else {
    result.waiting += 1;
  }
}
