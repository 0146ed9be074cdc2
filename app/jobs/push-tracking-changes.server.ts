import { randomUUID } from "node:crypto";
import prisma from "~/db.server";
import { logger } from "~/logger.server";
import { parsePendingChanges, type TrackingChanges } from "~/models/tracking-changes.server";
import { trackingMoreClientForShop } from "~/trackingmore.server";
import {
  TrackingMoreError,
  classifyOutcome,
  type BatchItemError,
  type TrackingMoreClient,
  type TrackingPatch,
  type TrackingRef,
} from "~/trackingmore";
import type { BackgroundJob } from "./background.server";
import { retryDelayMs } from "~/lib/retry-delay.server";

// Sends the change queue (app/models/tracking-changes.server.ts) to TrackingMore. Rows are
// claimed with a lease so two workers never push the same row; a row's result is written only
// if its pendingChanges did not change meanwhile, so an edit made during a push is never
// cleared unsent.

const LEASE_MS = 120_000;
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
  /** Rows TrackingMore refused; they are "needs_attention" with lastError. */
  failed: PushFailure[];
  /** Rows left waiting (TrackingMore unreachable, no API key): they are sent later. */
  waiting: number;
}

type Row = {
  id: string;
  shop: string;
  syncState: string;
  trackingNumber: string;
  carrierCode: string;
  pendingChanges: string | null;
  attempts: number;
};

/** One round: claims due rows, pushes them shop by shop, records each row's result. */
export async function pushTrackingChanges(options: PushOptions = {}): Promise<PushResult> {
  const now = options.now?.() ?? new Date();
  const result: PushResult = { synced: 0, failed: [], waiting: 0 };
  const rows = await claim(now, options);
  const byShop = new Map<string, Row[]>();
  for (const row of rows) byShop.set(row.shop, [...(byShop.get(row.shop) ?? []), row]);
  for (const [shop, shopRows] of byShop) {
    try {
      await pushShop(shop, shopRows, now, result);
    } catch (error) {
      // Anything unexpected: the rows stay queued and their leases run out.
      logger.error({ err: error, shop }, "pushing tracking changes failed");
      result.waiting += shopRows.length;
    }
  }
  return result;
}

async function claim(now: Date, options: PushOptions): Promise<Row[]> {
  const owner = randomUUID();
  const due = {
    syncState: { in: ["pending_update", "pending_delete"] },
    ...(options.shop ? { shop: options.shop } : {}),
    ...(options.trackingIds ? { id: { in: options.trackingIds } } : { nextAttemptAt: { lte: now } }),
    OR: [
      { leaseUntil: null },
      { leaseUntil: { lt: now } },
      ...(options.leaseOwner ? [{ leaseOwner: options.leaseOwner }] : []),
    ],
  };
  const candidates = await prisma.tracking.findMany({ where: due, select: { id: true }, take: BATCH });
  if (candidates.length === 0) return [];
  // The conditional update is the claim: a row another worker leased meanwhile no longer matches.
  await prisma.tracking.updateMany({
    where: { ...due, id: { in: candidates.map((c) => c.id) } },
    data: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + LEASE_MS) },
  });
  return prisma.tracking.findMany({
    where: { leaseOwner: owner },
    select: {
      id: true,
      shop: true,
      syncState: true,
      trackingNumber: true,
      carrierCode: true,
      pendingChanges: true,
      attempts: true,
    },
  });
}

const key = (ref: TrackingRef) => `${ref.carrierCode}\u0000${ref.trackingNumber}`;

async function pushShop(shop: string, rows: Row[], now: Date, result: PushResult) {
  const client = await trackingMoreClientForShop(shop);
  if (!client) {
    // Nothing can be sent without a key; the rows wait, and saving a key wakes them.
    await prisma.tracking.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { leaseOwner: null, leaseUntil: null, nextAttemptAt: new Date(now.getTime() + NO_KEY_DELAY_MS) },
    });
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
      await prisma.tracking.deleteMany({ where: { id: row.id, syncState: "pending_delete" } });
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
      await prisma.tracking.update({
        where: { id: row.id },
        data: { carrierCode: changes.carrierCode, carrierSource: "merchant" },
      });
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
    where: { id: row.id, pendingChanges: row.pendingChanges, syncState: "pending_update" },
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
  if (changed.count === 0) await release(row.id, now);
  result.synced += 1;
}

async function recordFailure(row: Row, error: BatchItemError, now: Date, result: PushResult) {
  if (isTransient(error)) {
    await prisma.tracking.update({
      where: { id: row.id },
      data: {
        attempts: row.attempts + 1,
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts + 1)),
        lastError: `${error.code}: ${error.message}`,
        leaseOwner: null,
        leaseUntil: null,
      },
    });
    result.waiting += 1;
    return;
  }
  // TrackingMore refused it: the merchant must look. pendingChanges stays, so nothing is lost.
  await prisma.tracking.updateMany({
    where: { id: row.id, syncState: row.syncState },
    data: {
      syncState: "needs_attention",
      attempts: row.attempts + 1,
      lastError: `${error.code}: ${error.message}`,
      leaseOwner: null,
      leaseUntil: null,
    },
  });
  result.failed.push({
    id: row.id,
    trackingNumber: row.trackingNumber,
    message: `${error.code}: ${error.message}`,
  });
}

async function release(id: string, now: Date) {
  await prisma.tracking.updateMany({
    where: { id },
    data: { leaseOwner: null, leaseUntil: null, nextAttemptAt: now },
  });
}

export function pushTrackingChangesJob(): BackgroundJob {
  return {
    name: "push-tracking-changes",
    idleDelayMs: 2_000,
    async runOnce() {
      const result = await pushTrackingChanges();
      return result.synced + result.failed.length;
    },
  };
}
