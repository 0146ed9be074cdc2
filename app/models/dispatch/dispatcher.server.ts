import { randomUUID } from "node:crypto";
import prisma, { sqlDateTime, sqlParameterMarkers, type Prisma } from "~/db.server";
import { logger } from "~/logger.server";
import { cachedDetection, rememberDetection } from "~/models/carriers/carriers.server";
import { trackingMoreClientForShop } from "~/trackingmore.server";
import { classifyOutcome, type CreateTrackingInput, type TrackingMoreClient } from "~/trackingmore";
import { retryDelayMs } from "~/lib/retry-delay.server";

// Sends pending trackings to TrackingMore with batch create (40 a call), shop by shop. Rows are
// claimed with a lease, so several workers never send the same row; a worker that dies
// mid-batch leaves rows whose lease runs out, and the retry's "already exists" (4016) links
// them: nothing is lost and nothing is created twice.

const BATCH_SIZE = 40;
const MAX_BATCHES_IN_FLIGHT = 3;
const LEASE_MS = 2 * 60_000;
const QUOTA_RECHECK_MS = 10 * 60_000;
const KEY_REJECTED_RECHECK_MS = 60 * 60_000;
const MAX_BACKOFF_MS = 10 * 60_000;

const log = logger.child({ component: "dispatcher" });

type TrackingRow = Prisma.TrackingGetPayload<object>;

export interface DispatchOptions {
  now?: Date;
  /** Identifies this worker's leases. */
  workerId?: string;
  /** Rows per shop per round; the default sends up to ten batches before moving on. */
  maxRowsPerShop?: number;
}

/** One round over every shop with work. Returns how many trackings it settled. */
export async function dispatchPendingTrackings(options: DispatchOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  const workerId = options.workerId ?? `dispatch-${process.pid}-${randomUUID().slice(0, 8)}`;
  await resumeShopsWhoseQuotaReturned(now);

  const shopsWithWork = await prisma.tracking.findMany({
    where: { syncState: "pending", nextAttemptAt: { lte: now } },
    distinct: ["shop"],
    select: { shop: true },
  });
  if (shopsWithWork.length === 0) return 0;
  const blocked = new Set(
    (
      await prisma.shop.findMany({
        where: {
          domain: { in: shopsWithWork.map((s) => s.shop) },
          OR: [{ uninstalledAt: { not: null } }, { dispatchPausedUntil: { gt: now } }],
        },
        select: { domain: true },
      })
    ).map((s) => s.domain),
  );

  let settled = 0;
  for (const { shop } of shopsWithWork) {
    if (blocked.has(shop)) continue;
    try {
      settled += await dispatchShop(shop, now, workerId, options.maxRowsPerShop ?? BATCH_SIZE * 10);
    } catch (error) {
      log.error({ err: error, shop }, "dispatch round failed for shop");
    }
  }
  return settled;
}

async function dispatchShop(shop: string, now: Date, workerId: string, maxRows: number): Promise<number> {
  const client = await trackingMoreClientForShop(shop);
  if (!client) {
    const waiting = await prisma.tracking.updateMany({
      where: { shop, syncState: "pending" },
      data: {
        syncState: "waiting_api_key",
        lastError: "Add your TrackingMore API key in Settings to send this tracking",
      },
    });
    return waiting.count;
  }
  // Several batches in flight keep the account's rate budget busy while our own database
  // work for the previous answer is done; the client's limiter still spaces the calls.
  let settled = 0;
  let stop = false;
  const inFlight = new Set<Promise<void>>();
  while (settled < maxRows && !stop) {
    // After a 429 (met by any worker) the account is paused: rows claimed now would only sit
    // under their leases until it ends.
    if (await client.rateLimitedUntil()) break;
    const rows = await claimPendingRows(shop, now, workerId, BATCH_SIZE);
    if (rows.length === 0) break;
    settled += rows.length;
    const sending: Promise<void> = sendBatch(shop, client, rows, now).then((outcome) => {
      if (outcome === "stop") stop = true;
      inFlight.delete(sending);
    });
    inFlight.add(sending);
    if (inFlight.size >= MAX_BATCHES_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return settled;
}

async function claimPendingRows(
  shop: string,
  now: Date,
  workerId: string,
  limit: number,
): Promise<TrackingRow[]> {
  const claimable = {
    shop,
    syncState: "pending",
    nextAttemptAt: { lte: now },
    OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
  } satisfies Prisma.TrackingWhereInput;
  const candidates = await prisma.tracking.findMany({
    where: claimable,
    orderBy: { createdAt: "asc" },
    take: limit,
    select: { id: true },
  });
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => c.id);
  // The conditional update is the claim: on PostgreSQL a competing worker blocks on the row
  // locks, then finds the lease taken; SQLite serialises writers outright.
  await prisma.tracking.updateMany({
    where: { ...claimable, id: { in: ids } },
    data: { leaseOwner: workerId, leaseUntil: new Date(now.getTime() + LEASE_MS) },
  });
  return prisma.tracking.findMany({ where: { id: { in: ids }, leaseOwner: workerId, syncState: "pending" } });
}

const releaseLease = { leaseOwner: null, leaseUntil: null } as const;

function createInput(row: TrackingRow): CreateTrackingInput {
  // Absent stays absent: TrackingMore must never receive "null" or "undefined" as text.
  const input: CreateTrackingInput = { trackingNumber: row.trackingNumber, carrierCode: row.carrierCode };
  if (row.title) input.title = row.title;
  if (row.tmOrderId) input.orderId = row.tmOrderId;
  if (row.customerName) input.customerName = row.customerName;
  if (row.customerEmail) input.customerEmail = row.customerEmail;
  if (row.customerPhone) input.customerPhone = row.customerPhone;
  if (row.destinationCode) input.destinationCode = row.destinationCode;
  if (row.logisticsChannel) input.logisticsChannel = row.logisticsChannel;
  if (row.orderCreatedAt) input.orderCreateTime = row.orderCreatedAt;
  return input;
}

/** Unknown carriers go through TrackingMore's detection first (cached per number shape). */
async function resolveUnknownCarriers(
  client: TrackingMoreClient,
  rows: TrackingRow[],
): Promise<TrackingRow[]> {
  const ready: TrackingRow[] = [];
  for (const row of rows) {
    if (row.carrierCode) {
      ready.push(row);
      continue;
    }
    let carrierCode = await cachedDetection(row.trackingNumber);
    if (!carrierCode) {
      try {
        carrierCode = (await client.detectCarrier(row.trackingNumber))[0]?.code ?? null;
      } catch (error) {
        // TrackingMore could not tell (4032) or refused the number; the account's troubles
        // (quota, key, throttling, outage) are the batch's, handled below.
        const outcome = classifyOutcome(error);
        if (outcome === "refused" || outcome === "not_found") {
          await prisma.tracking.update({
            where: { id: row.id },
            data: {
              ...releaseLease,
              syncState: "needs_carrier",
              lastError: `TrackingMore could not tell the carrier of this number (${error instanceof Error ? error.message : String(error)}); choose the carrier`,
            },
          });
          continue;
        }
        throw error;
      }
      if (carrierCode) await rememberDetection(row.trackingNumber, carrierCode);
    }
    if (!carrierCode) {
      await prisma.tracking.update({
        where: { id: row.id },
        data: {
          ...releaseLease,
          syncState: "needs_carrier",
          lastError: "No carrier matches this number; choose the carrier",
        },
      });
      continue;
    }
    const duplicate = await prisma.tracking.findUnique({
      where: {
        shop_carrierCode_trackingNumber: { shop: row.shop, carrierCode, trackingNumber: row.trackingNumber },
      },
      select: { id: true },
    });
    if (duplicate) {
      // The same parcel already has a row under the detected carrier: one parcel, one tracking.
      await prisma.tracking.delete({ where: { id: row.id } });
      continue;
    }
    const updated = await prisma.tracking.update({
      where: { id: row.id },
      data: { carrierCode, carrierSource: "detected" },
    });
    ready.push(updated);
  }
  return ready;
}

type BatchOutcome = "continue" | "stop";

async function sendBatch(
  shop: string,
  client: TrackingMoreClient,
  claimed: TrackingRow[],
  now: Date,
): Promise<BatchOutcome> {
  let rows: TrackingRow[];
  try {
    rows = await resolveUnknownCarriers(client, claimed);
  } catch (error) {
    return handleCallFailure(shop, claimed, error, now);
  }
  if (rows.length === 0) return "continue";

  let result;
  try {
    result = await client.batchCreate(rows.map(createInput));
  } catch (error) {
    return handleCallFailure(shop, rows, error, now);
  }

  const key = (number: string, carrier: string) => `${carrier}\u0000${number}`;
  const created = new Map(result.trackings.map((t) => [key(t.trackingNumber, t.carrierCode), t]));
  const failed = new Map(result.errors.map((e) => [key(e.trackingNumber, e.carrierCode), e]));
  let quotaExhausted = false;

  const updates: Prisma.PrismaPromise<unknown>[] = [];
  const synced: { id: string; trackingMoreId: string }[] = [];
  for (const row of rows) {
    const k = key(row.trackingNumber, row.carrierCode);
    const tracking = created.get(k);
    const error = failed.get(k);
    const outcome = error ? classifyOutcome(error) : null;
    if (tracking || outcome === "already_exists") {
      // TrackingMore already has it (our own earlier attempt, or another app): link it.
      const trackingMoreId = tracking?.id ?? row.trackingMoreId ?? (await existingTrackingId(client, row));
      synced.push({ id: row.id, trackingMoreId });
    } else if (outcome === "quota_exhausted") {
      quotaExhausted = true;
    } else if (error) {
      updates.push(
        prisma.tracking.update({
          where: { id: row.id },
          data: {
            ...releaseLease,
            syncState: "needs_attention",
            attempts: { increment: 1 },
            lastError: `TrackingMore refused this tracking (${error.code}): ${error.message}`,
          },
        }),
      );
    } else {
      // Neither created nor refused: ask again later rather than guess.
      updates.push(
        prisma.tracking.update({
          where: { id: row.id },
          data: {
            ...releaseLease,
            attempts: { increment: 1 },
            nextAttemptAt: new Date(
              now.getTime() + retryDelayMs(row.attempts + 1, { firstMs: 5_000, maxMs: MAX_BACKOFF_MS }),
            ),
          },
        }),
      );
    }
  }
  if (synced.length > 0) updates.push(markSynced(synced, now));
  await prisma.$transaction(updates);
  if (quotaExhausted) {
    const unsent = rows.filter(
      (row) => classifyOutcome(failed.get(key(row.trackingNumber, row.carrierCode))) === "quota_exhausted",
    );
    await pauseShopForQuota(
      shop,
      unsent.map((r) => r.id),
      now,
    );
    return "stop";
  }
  return "continue";
}

/**
 * The batch's created (or linked) rows, synced and released: one raw statement rather than a
 * compiled update per row, which is most of a batch's cost here.
 */
function markSynced(rows: { id: string; trackingMoreId: string }[], now: Date) {
  // Markers in the order they appear in the text: SQLite's `?` binds by position.
  const [syncedAt, updatedAt, ...rest] = sqlParameterMarkers(2 + rows.length * 3);
  const cases = rest.slice(0, rows.length * 2);
  const ids = rest.slice(rows.length * 2);
  const whenIdThenTrackingMoreId = rows
    .map((_, i) => `WHEN ${cases[2 * i]} THEN ${cases[2 * i + 1]}`)
    .join(" ");
  return prisma.$executeRawUnsafe(
    `UPDATE "Tracking" SET "syncState" = 'synced', "attempts" = 0, "lastError" = NULL,
       "leaseOwner" = NULL, "leaseUntil" = NULL, "syncedAt" = ${syncedAt}, "updatedAt" = ${updatedAt},
       "trackingMoreId" = CASE "id" ${whenIdThenTrackingMoreId} END
     WHERE "id" IN (${ids.join(", ")})`,
    sqlDateTime(now),
    sqlDateTime(now),
    ...rows.flatMap((row) => [row.id, row.trackingMoreId]),
    ...rows.map((row) => row.id),
  );
}

/** TrackingMore's id of a tracking it already had; "" when it cannot be read right now. */
async function existingTrackingId(client: TrackingMoreClient, row: TrackingRow): Promise<string> {
  try {
    return (await client.getTracking(row.carrierCode, row.trackingNumber)).id;
  } catch {
    return "";
  }
}

async function handleCallFailure(
  shop: string,
  rows: TrackingRow[],
  error: unknown,
  now: Date,
): Promise<BatchOutcome> {
  const ids = rows.map((r) => r.id);
  const outcome = classifyOutcome(error);
  if (outcome === "quota_exhausted") {
    await pauseShopForQuota(shop, ids, now);
    return "stop";
  }
  if (outcome === "key_rejected") {
    // Sending more would only fail the same way; the merchant must fix the key.
    await prisma.$transaction([
      prisma.tracking.updateMany({
        where: { id: { in: ids } },
        data: {
          ...releaseLease,
          syncState: "waiting_api_key",
          lastError: "TrackingMore rejected the API key; check it in Settings",
        },
      }),
      prisma.shop.upsert({
        where: { domain: shop },
        create: {
          domain: shop,
          dispatchPausedReason: "api_key_rejected",
          dispatchPausedUntil: new Date(now.getTime() + KEY_REJECTED_RECHECK_MS),
        },
        update: {
          dispatchPausedReason: "api_key_rejected",
          dispatchPausedUntil: new Date(now.getTime() + KEY_REJECTED_RECHECK_MS),
        },
      }),
    ]);
    log.warn({ shop, outcome }, "TrackingMore rejected the shop's API key");
    return "stop";
  }
  const message = error instanceof Error ? error.message : String(error);
  const retryable = outcome === "transient" || outcome === "rate_limited";
  log.warn({ shop, err: message, retryable, rows: rows.length }, "batch create failed");
  await prisma.$transaction(
    rows.map((row) =>
      prisma.tracking.update({
        where: { id: row.id },
        data: retryable
          ? {
              ...releaseLease,
              attempts: { increment: 1 },
              nextAttemptAt: new Date(
                now.getTime() + retryDelayMs(row.attempts + 1, { firstMs: 5_000, maxMs: MAX_BACKOFF_MS }),
              ),
              lastError: `TrackingMore is not reachable right now (${message}); retrying automatically`,
            }
          : {
              ...releaseLease,
              syncState: "needs_attention",
              attempts: { increment: 1 },
              lastError: `TrackingMore refused the request: ${message}`,
            },
      }),
    ),
  );
  return "stop";
}

async function pauseShopForQuota(shop: string, trackingIds: string[], now: Date) {
  const until = new Date(now.getTime() + QUOTA_RECHECK_MS);
  await prisma.$transaction([
    prisma.tracking.updateMany({
      where: { id: { in: trackingIds } },
      data: {
        ...releaseLease,
        syncState: "quota_paused",
        lastError: "Your TrackingMore quota is used up; sending resumes when quota is added",
      },
    }),
    prisma.shop.upsert({
      where: { domain: shop },
      create: { domain: shop, dispatchPausedReason: "quota_exhausted", dispatchPausedUntil: until },
      update: { dispatchPausedReason: "quota_exhausted", dispatchPausedUntil: until },
    }),
  ]);
  log.warn({ shop }, "TrackingMore quota exhausted: dispatch paused");
}

/** Shops paused for quota whose recheck time has come: resume those with quota again. */
async function resumeShopsWhoseQuotaReturned(now: Date) {
  const due = await prisma.shop.findMany({
    where: {
      dispatchPausedReason: "quota_exhausted",
      dispatchPausedUntil: { lte: now },
      uninstalledAt: null,
    },
    select: { domain: true },
  });
  for (const { domain } of due) {
    const client = await trackingMoreClientForShop(domain);
    let remaining = 0;
    try {
      remaining = client ? (await client.getUserInfo()).remainingQuota : 0;
    } catch (error) {
      log.warn({ shop: domain, err: (error as Error).message }, "quota check failed");
    }
    if (remaining > 0) {
      await prisma.$transaction([
        prisma.shop.update({
          where: { domain },
          data: { dispatchPausedReason: null, dispatchPausedUntil: null },
        }),
        prisma.tracking.updateMany({
          where: { shop: domain, syncState: "quota_paused" },
          data: { syncState: "pending", nextAttemptAt: now, lastError: null },
        }),
      ]);
      log.info({ shop: domain, remaining }, "TrackingMore quota is back: dispatch resumed");
    } else {
      await prisma.shop.update({
        where: { domain },
        data: { dispatchPausedUntil: new Date(now.getTime() + QUOTA_RECHECK_MS) },
      });
    }
  }
}
