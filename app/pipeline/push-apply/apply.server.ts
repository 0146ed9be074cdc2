import prisma from "~/db/client.server";
import { databaseRefusal, sqlParameterMarkers } from "~/db/sql.server";
import { logger } from "~/logger.server";
import {
  applyTrackingSnapshots,
  planSnapshots,
  SNAPSHOT_ROW_SELECT,
  type OrderedSnapshot,
  type SnapshotPlan,
  type SnapshotRow,
} from "~/models/tracking-status/apply-snapshot.server";
import {
  durableQueue,
  keysByToken,
  PermanentFailure,
  type Claim,
} from "~/pipeline/queue/durable-queue.server";
import { parseTracking, type Tracking as RemoteTracking } from "~/trackingmore";
import { confirmPushes } from "./push-confirmation.server";

// The second half of a TrackingMore push (push.server.ts keeps it): store the status and queue
// the Shopify event. Pushes come in bursts of thousands, so a round works like ingest: one
// statement claims up to a hundred, one query reads their trackings, and one transaction writes
// every status, checkpoint list and event with multi-row statements. Snapshots are applied by
// applyTrackingSnapshot's rules (never backwards in time; a manual 4/7 holds until 8), in the
// order they were received. A push that cannot be read is dead-lettered on its own; if the
// round's transaction fails, each push is tried on its own, so one never holds back another.

export const pushApplyQueue = durableQueue({
  stage: "push-apply",
  table: "TrackingMorePush",
  key: "id",
  leaseMs: 60_000,
  // Only our own database can make a readable push fail: retried for about an hour.
  maxAttempts: 8,
  backoff: { firstMs: 5_000, maxMs: 30 * 60_000 },
});
const queue = pushApplyQueue;

const log = logger.child({ component: "push-apply" });

const BATCH_SIZE = 100;
/** A round asks stopEarly after this many pushes, and at every multiple of it. */
const STOP_CHECK_EVERY = 10;

export interface ApplyPushesOptions {
  now?: () => Date;
  /** Pushes claimed by a round. */
  batchSize?: number;
  /**
   * Asked after every STOP_CHECK_EVERY pushes read: true ends the round there (the pushes read
   * are applied, the rest is let go for the next round).
   */
  stopEarly?: () => boolean;
}

interface PushRow {
  id: string;
  trackingNumber: string;
  carrierCode: string;
  shops: string;
  data: string;
}

interface ReadPush {
  claim: Claim;
  push: PushRow;
  shops: string[];
  snapshot: RemoteTracking;
  /** The push's place in the round, oldest received first. */
  order: number;
}

/** Claims up to a batch of received pushes, oldest first, and applies them; returns how many. */
export async function applyReceivedPushes(options: ApplyPushesOptions = {}): Promise<number> {
  const clock = options.now ?? (() => new Date());
  const claims = await queue.claim({
    where: { sql: "1 = 1", values: [] },
    orderBy: `"receivedAt", "id"`,
    // A round that starts in a burst would stop after the first few anyway.
    limit: options.stopEarly?.() ? STOP_CHECK_EVERY : (options.batchSize ?? BATCH_SIZE),
    now: clock(),
  });
  if (claims.length === 0) return 0;
  return applyClaimedPushes(claims, options);
}

/**
 * Applies claimed pushes; returns how many were applied. Pushes whose claim was taken over (this
 * worker stalled past its lease) are left to their new owner: the transaction that writes
 * deletes each push on the condition that the claim still holds, and applies only those.
 */
export async function applyClaimedPushes(
  claims: Claim[],
  { now: clock = () => new Date(), stopEarly }: Omit<ApplyPushesOptions, "batchSize"> = {},
): Promise<number> {
  const claimById = new Map(claims.map((claim) => [claim.key, claim]));
  const keys = [...claimById.keys()];
  const rows = await prisma.$queryRawUnsafe<PushRow[]>(
    `SELECT "id", "trackingNumber", "carrierCode", "shops", "data" FROM "TrackingMorePush"
     WHERE "id" IN (${sqlParameterMarkers(keys.length).join(", ")}) ORDER BY "receivedAt", "id"`,
    ...keys,
  );

  const readable: ReadPush[] = [];
  const unreadable: { claim: Claim; error: PermanentFailure }[] = [];
  let taken = 0;
  for (const push of rows) {
    if (taken > 0 && taken % STOP_CHECK_EVERY === 0 && stopEarly?.()) break;
    taken++;
    const claim = claimById.get(push.id)!;
    const read = readPush(push);
    if (read instanceof PermanentFailure) unreadable.push({ claim, error: read });
    else readable.push({ claim, push, ...read, order: readable.length });
  }
  const left = rows.slice(taken).map((push) => claimById.get(push.id)!);
  if (left.length > 0) await queue.release(left);

  let applied = 0;
  if (readable.length > 0) {
    const snapshotFor = await confirmedSnapshots(readable);
    try {
      applied = await applyPushes(readable, clock, snapshotFor);
    } catch (error) {
      // Something in the round's transaction failed: each push on its own, so the one that
      // causes it is retried (or dead-lettered) alone and the others are applied.
      log.warn({ err: error, pushes: readable.length }, "applying a round of pushes failed; one at a time");
      applied = 0;
      await queue.eachItem(
        readable,
        async (push) => {
          try {
            applied += await applyPushes([{ ...push, order: 0 }], clock, snapshotFor);
          } catch (error) {
            const refusal = databaseRefusal(error);
            throw refusal ? new Error(refusal, { cause: error }) : error;
          }
        },
        { now: clock },
      );
    }
  }
  for (const { claim, error } of unreadable) await queue.fail(claim, error, { now: clock() });
  return applied;
}

/** A push's snapshot and shops, or why it cannot be applied (no retry will change that). */
function readPush(push: PushRow): Omit<ReadPush, "claim" | "push" | "order"> | PermanentFailure {
  let data: unknown;
  let shops: unknown;
  try {
    data = JSON.parse(push.data);
    shops = JSON.parse(push.shops);
  } catch (error) {
    return new PermanentFailure(`The push is not valid JSON (${(error as Error).message})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return new PermanentFailure("The push holds no tracking object");
  }
  if (!Array.isArray(shops) || shops.length === 0 || !shops.every((s) => typeof s === "string" && s)) {
    return new PermanentFailure("The push names no shop");
  }
  const snapshot = parseTracking(data);
  if (snapshot.trackingNumber !== push.trackingNumber || snapshot.carrierCode !== push.carrierCode) {
    return new PermanentFailure(
      `The push's tracking (${snapshot.trackingNumber || "none"}, ${snapshot.carrierCode || "no carrier"}) ` +
        `is not the one it was received for (${push.trackingNumber}, ${push.carrierCode})`,
    );
  }
  return { shops: shops as string[], snapshot };
}

const rowKey = (shop: string, carrierCode: string, trackingNumber: string) =>
  `${shop}\u0000${carrierCode}\u0000${trackingNumber}`;

/** The snapshot to apply to a shop's tracking for a push (null: apply nothing). */
type SnapshotFor = (shop: string, push: ReadPush) => RemoteTracking | null;

/**
 * A push is a hint (see push-confirmation.server.ts): a push that would change a tracking's
 * status, which is written back to Shopify, is applied only as the shop's TrackingMore account
 * confirms it. Pushes that leave the status as it is (new checkpoints) apply as sent.
 */
async function confirmedSnapshots(pushes: ReadPush[]): Promise<SnapshotFor> {
  const shops = [...new Set(pushes.flatMap((p) => p.shops))];
  const numbers = [...new Set(pushes.map((p) => p.push.trackingNumber))];
  // A round is at most BATCH_SIZE pushes: one query.
  const rows = await prisma.tracking.findMany({
    where: { shop: { in: shops }, trackingNumber: { in: numbers } },
    select: { shop: true, carrierCode: true, trackingNumber: true, status: true },
  });
  const current = new Map(
    rows.map((row) => [rowKey(row.shop, row.carrierCode, row.trackingNumber), row.status]),
  );
  const changesStatus = (shop: string, push: ReadPush) => {
    const status = current.get(rowKey(shop, push.push.carrierCode, push.push.trackingNumber));
    return status !== undefined && status !== push.snapshot.status;
  };
  const toConfirm = pushes.filter((p) => p.shops.some((shop) => changesStatus(shop, p)));
  if (toConfirm.length === 0) return (_shop, push) => push.snapshot;
  const confirmations = await confirmPushes(toConfirm.map((p) => p.push));
  return (shop, push) =>
    changesStatus(shop, push) ? confirmations.snapshotFor(shop, push.snapshot) : push.snapshot;
}

/**
 * Reads the pushes' trackings with one query, then in one transaction: deletes the pushes still
 * claimed (the fence), and applies those pushes' snapshots to their trackings.
 */
async function applyPushes(pushes: ReadPush[], clock: () => Date, snapshotFor: SnapshotFor): Promise<number> {
  const shops = [...new Set(pushes.flatMap((p) => p.shops))];
  const numbers = [...new Set(pushes.map((p) => p.push.trackingNumber))];
  const trackings = await prisma.tracking.findMany({
    where: { shop: { in: shops }, trackingNumber: { in: numbers } },
    select: SNAPSHOT_ROW_SELECT,
  });
  const rowsByKey = new Map(
    trackings.map((row) => [rowKey(row.shop, row.carrierCode, row.trackingNumber), row]),
  );

  const byToken = keysByToken(pushes.map((p) => p.claim));

  return prisma.$transaction(async (tx) => {
    const held = new Set<string>();
    for (const [token, ids] of byToken) {
      const markers = sqlParameterMarkers(ids.length + 1);
      const deleted = await tx.$queryRawUnsafe<{ id: string }[]>(
        `DELETE FROM "TrackingMorePush" WHERE "leaseOwner" = ${markers[0]}
           AND "id" IN (${markers.slice(1).join(", ")}) RETURNING "id"`,
        token,
        ...ids,
      );
      for (const { id } of deleted) held.add(id);
    }
    const heldPushes = pushes.filter((p) => held.has(p.claim.key));
    if (heldPushes.length === 0) return 0;

    const snapshotsByRow = new Map<string, { row: SnapshotRow; snapshots: OrderedSnapshot[] }>();
    for (const read of heldPushes) {
      const { push, shops: pushShops, order } = read;
      for (const shop of pushShops) {
        const row = rowsByKey.get(rowKey(shop, push.carrierCode, push.trackingNumber));
        if (!row) continue;
        const snapshot = snapshotFor(shop, read);
        if (!snapshot) continue;
        const entry = snapshotsByRow.get(row.id) ?? { row, snapshots: [] };
        entry.snapshots.push({ snapshot, order });
        snapshotsByRow.set(row.id, entry);
      }
    }
    const now = clock();
    const plans = [...snapshotsByRow.values()]
      .map(({ row, snapshots }) => planSnapshots(row, snapshots, now))
      .filter((plan): plan is SnapshotPlan => plan !== null);
    if (plans.length > 0) await applyTrackingSnapshots(tx, plans, now);
    return heldPushes.length;
  });
}
