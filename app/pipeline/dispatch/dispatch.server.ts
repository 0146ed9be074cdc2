import prisma, { type Prisma } from "~/db/client.server";
import { sqlDateTime, sqlParameterMarkers } from "~/db/sql.server";
import { logger } from "~/logger.server";
import { cachedDetection, rememberDetection } from "~/models/carriers/carriers.server";
import { trackingMoreClientForShop } from "~/models/settings.server";
import {
  NETWORK_CODE,
  TIMEOUT_CODE,
  TrackingMoreError,
  classifyOutcome,
  type BatchCreateResult,
  type CreateTrackingInput,
  type TrackingMoreClient,
} from "~/trackingmore";
import { ClaimLost, durableQueue, PermanentFailure, type Claim } from "~/pipeline/queue/durable-queue.server";

// Sends pending trackings to TrackingMore with batch create (40 a call), shop by shop. Rows are
// claimed through the durable queue: the lease is renewed while a batch waits for the account's
// rate limit (a 429 pause lasts minutes) and re-checked just before the call, so a batch whose
// claim was taken over is never sent; a worker that dies mid-batch leaves rows whose lease runs
// out, and the retry's "already exists" (4016) links them: nothing lost, nothing created twice.

const BATCH_SIZE = 40;
const MAX_BATCHES_IN_FLIGHT = 3;
const QUOTA_RECHECK_MS = 10 * 60_000;
const KEY_REJECTED_RECHECK_MS = 60 * 60_000;

const DISPATCH_QUEUE = {
  stage: "dispatch",
  table: "Tracking",
  key: "id",
  leaseMs: 60_000,
  // An outage of TrackingMore is retried for hours (back-off up to 30 min) before a row is
  // dead-lettered; a refusal of the row itself is dead-lettered at once.
  maxAttempts: 12,
  backoff: { firstMs: 5_000, maxMs: 30 * 60_000 },
} as const;
let queue = durableQueue(DISPATCH_QUEUE);

/** Tests shorten the lease here (renewals come every third of it) rather than per call. */
export function setDispatchLeaseMs(leaseMs: number = DISPATCH_QUEUE.leaseMs) {
  queue = durableQueue({ ...DISPATCH_QUEUE, leaseMs });
}

const log = logger.child({ component: "dispatch" });

type TrackingRow = Prisma.TrackingGetPayload<object>;
interface ClaimedRow {
  claim: Claim;
  row: TrackingRow;
}

export interface DispatchOptions {
  /** The round's start; the round's clock runs on from it. */
  now?: Date;
  /** Rows per shop per round; the default sends up to ten batches before moving on. */
  maxRowsPerShop?: number;
}

/** One round over every shop with work. Returns how many trackings it settled. */
export async function dispatchPendingTrackings(options: DispatchOptions = {}): Promise<number> {
  const start = options.now ?? new Date();
  const startedAt = Date.now();
  const clock = () => new Date(start.getTime() + (Date.now() - startedAt));
  await resumeShopsWhoseQuotaReturned(start);

  const shopsWithWork = await prisma.tracking.findMany({
    where: { syncState: "pending", deadAt: null, nextAttemptAt: { lte: start } },
    distinct: ["shop"],
    select: { shop: true },
  });
  if (shopsWithWork.length === 0) return 0;
  const blocked = new Set(
    (
      await prisma.shop.findMany({
        where: {
          domain: { in: shopsWithWork.map((s) => s.shop) },
          OR: [{ uninstalledAt: { not: null } }, { dispatchPausedUntil: { gt: start } }],
        },
        select: { domain: true },
      })
    ).map((s) => s.domain),
  );

  let settled = 0;
  for (const { shop } of shopsWithWork) {
    if (blocked.has(shop)) continue;
    try {
      settled += await dispatchShop(shop, clock, options.maxRowsPerShop ?? BATCH_SIZE * 10);
    } catch (error) {
      log.error({ err: error, shop }, "dispatch round failed for shop");
    }
  }
  return settled;
}

async function dispatchShop(shop: string, clock: () => Date, maxRows: number): Promise<number> {
  const client = await trackingMoreClientForShop(shop);
  if (!client) {
    const now = clock();
    const waiting = await prisma.tracking.updateMany({
      where: {
        shop,
        syncState: "pending",
        deadAt: null,
        OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
      },
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
    // After a 429 (met by any worker) the account is paused: rows claimed now would only wait.
    if (await client.rateLimitedUntil()) break;
    const claims = await queue.claim({
      where: { sql: `"shop" = ? AND "syncState" = 'pending'`, values: [shop] },
      orderBy: `"createdAt"`,
      limit: BATCH_SIZE,
      now: clock(),
    });
    if (claims.length === 0) break;
    settled += claims.length;
    const sending: Promise<void> = queue
      .whileHeld(claims, (held, signal) => sendBatch(shop, client, claims, { held, signal, clock }), {
        clock,
      })
      .catch(async (error: unknown) => {
        if (error instanceof ClaimLost) {
          // Another worker holds (some of) the batch: what is still ours goes back untouched.
          log.warn({ shop }, "batch not sent: its claim was taken over");
          await queue.release(claims).catch(() => undefined);
          return "continue" as const;
        }
        // Our own failure (the database, a bug): each row of the batch is retried on its own.
        log.error({ err: error, shop }, "dispatching a batch failed");
        for (const claim of claims) await queue.fail(claim, error, { now: clock() }).catch(() => undefined);
        return "stop" as const;
      })
      .then((outcome) => {
        if (outcome === "stop") stop = true;
        inFlight.delete(sending);
      });
    inFlight.add(sending);
    if (inFlight.size >= MAX_BATCHES_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return settled;
}

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
  items: ClaimedRow[],
): Promise<ClaimedRow[]> {
  const ready: ClaimedRow[] = [];
  for (const item of items) {
    const { row, claim } = item;
    if (row.carrierCode) {
      ready.push(item);
      continue;
    }
    let carrierCode = await cachedDetection(row.trackingNumber);
    if (!carrierCode) {
      try {
        carrierCode = (await client.detectCarrier(row.trackingNumber))[0]?.code ?? null;
      } catch (error) {
        // TrackingMore could not tell (4032) or refused the number; the account's troubles
        // (quota, key, throttling, outage) are the batch's, handled by the caller.
        const outcome = classifyOutcome(error);
        if (outcome === "refused" || outcome === "not_found") {
          await queue.release([claim], {
            syncState: "needs_carrier",
            lastError: `TrackingMore could not tell the carrier of this number (${error instanceof Error ? error.message : String(error)}); choose the carrier`,
          });
          continue;
        }
        throw error;
      }
      if (carrierCode) await rememberDetection(row.trackingNumber, carrierCode);
    }
    if (!carrierCode) {
      await queue.release([claim], {
        syncState: "needs_carrier",
        lastError: "No carrier matches this number; choose the carrier",
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
      await prisma.tracking.deleteMany({ where: queue.fenced(claim) });
      continue;
    }
    const written = await queue.updateFenced([claim], { carrierCode, carrierSource: "detected" });
    if (written === 1) ready.push({ claim, row: { ...row, carrierCode, carrierSource: "detected" } });
  }
  return ready;
}

type BatchOutcome = "continue" | "stop";

interface HeldBatch {
  /** The claims still held after the last renewal. */
  held: () => Set<string>;
  /** Aborts once any claim of the batch is lost: nothing may be sent then. */
  signal: AbortSignal;
  clock: () => Date;
}

async function sendBatch(
  shop: string,
  client: TrackingMoreClient,
  claims: Claim[],
  { held, signal, clock }: HeldBatch,
): Promise<BatchOutcome> {
  const claimByKey = new Map(claims.map((c) => [c.key, c]));
  const claimedRows = await prisma.tracking.findMany({
    where: { id: { in: claims.map((c) => c.key) }, leaseOwner: claims[0].token },
  });
  let items: ClaimedRow[] = claimedRows.map((row) => ({ row, claim: claimByKey.get(row.id)! }));
  try {
    items = await resolveUnknownCarriers(client, items);
  } catch (error) {
    return handleCallFailure(shop, items, error, clock());
  }
  if (items.length === 0) return "continue";

  // The last word before anything leaves: only rows this worker still holds are sent. The
  // client may wait here for the account's rate limit; whileHeld keeps renewing meanwhile.
  const stillHeld = await queue.renew(
    items.map((i) => i.claim),
    clock(),
  );
  items = items.filter((i) => stillHeld.has(i.claim.key) && held().has(i.claim.key));
  if (items.length === 0) return "continue";

  let result: BatchCreateResult;
  try {
    result = await client.batchCreate(
      items.map((i) => createInput(i.row)),
      { signal, retryLostAnswers: false },
    );
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (!isLostAnswer(error)) return handleCallFailure(shop, items, error, clock());
    // The batch may have been created before its answer was lost: ask before sending again.
    try {
      result = await whatTrackingMoreHas(client, items, signal);
    } catch (checkError) {
      if (signal.aborted) throw signal.reason;
      return handleCallFailure(shop, items, checkError, clock());
    }
  }

  const now = clock();
  const key = (number: string, carrier: string) => `${carrier}\u0000${number}`;
  const created = new Map(result.trackings.map((t) => [key(t.trackingNumber, t.carrierCode), t]));
  const failed = new Map(result.errors.map((e) => [key(e.trackingNumber, e.carrierCode), e]));

  const synced: { item: ClaimedRow; trackingMoreId: string }[] = [];
  const quotaPaused: ClaimedRow[] = [];
  for (const item of items) {
    const { row, claim } = item;
    const k = key(row.trackingNumber, row.carrierCode);
    const tracking = created.get(k);
    const error = failed.get(k);
    const outcome = error ? classifyOutcome(error) : null;
    if (tracking || outcome === "already_exists") {
      // TrackingMore already has it (our own earlier attempt, or another app): link it.
      const trackingMoreId = tracking?.id ?? row.trackingMoreId ?? (await existingTrackingId(client, row));
      synced.push({ item, trackingMoreId });
    } else if (outcome === "quota_exhausted") {
      quotaPaused.push(item);
    } else if (error && (outcome === "transient" || outcome === "rate_limited")) {
      await queue.fail(
        claim,
        new Error(`TrackingMore could not take this tracking now (${error.code}): ${error.message}`),
        { now },
      );
    } else if (error) {
      await queue.fail(
        claim,
        new PermanentFailure(`TrackingMore refused this tracking (${error.code}): ${error.message}`),
        { now },
      );
    } else {
      // Neither created nor refused: ask again later rather than guess.
      await queue.fail(claim, new Error("TrackingMore's answer did not mention this tracking"), { now });
    }
  }
  if (synced.length > 0) await markSynced(synced, now);
  if (quotaPaused.length > 0) {
    await pauseShopForQuota(shop, quotaPaused, now);
    return "stop";
  }
  return "continue";
}

/**
 * The batch's created (or linked) rows, synced and released: one raw statement rather than a
 * compiled update per row, which is most of a batch's cost here. Fenced like every write about
 * a claimed row: a row whose claim was taken over is left to its new owner.
 */
function markSynced(rows: { item: ClaimedRow; trackingMoreId: string }[], now: Date) {
  // Markers in the order they appear in the text: SQLite's `?` binds by position.
  const [syncedAt, updatedAt, ...rest] = sqlParameterMarkers(2 + rows.length * 4);
  const cases = rest.slice(0, rows.length * 2);
  const fences = rest.slice(rows.length * 2);
  const whenIdThenTrackingMoreId = rows
    .map((_, i) => `WHEN ${cases[2 * i]} THEN ${cases[2 * i + 1]}`)
    .join(" ");
  const heldRows = rows.map((_, i) => `("id" = ${fences[2 * i]} AND "leaseOwner" = ${fences[2 * i + 1]})`);
  return prisma.$executeRawUnsafe(
    `UPDATE "Tracking" SET "syncState" = 'synced', "attempts" = 0, "lastError" = NULL,
       "leaseOwner" = NULL, "leaseUntil" = NULL, "syncedAt" = ${syncedAt}, "updatedAt" = ${updatedAt},
       "trackingMoreId" = CASE "id" ${whenIdThenTrackingMoreId} END
     WHERE ${heldRows.join(" OR ")}`,
    sqlDateTime(now),
    sqlDateTime(now),
    ...rows.flatMap(({ item, trackingMoreId }) => [item.row.id, trackingMoreId]),
    ...rows.flatMap(({ item }) => [item.row.id, item.claim.token]),
  );
}

function isLostAnswer(error: unknown): boolean {
  return error instanceof TrackingMoreError && (error.code === TIMEOUT_CODE || error.code === NETWORK_CODE);
}

/**
 * After a batch's answer was lost: the items TrackingMore has (listed by number) count as
 * created; the others are reported as "not mentioned" and go out again in a later round.
 */
async function whatTrackingMoreHas(
  client: TrackingMoreClient,
  items: ClaimedRow[],
  signal: AbortSignal,
): Promise<BatchCreateResult> {
  const numbers = [...new Set(items.map((i) => i.row.trackingNumber))];
  const page = await client.listTrackings({ numbers, limit: numbers.length * 4 }, { signal });
  const wanted = new Set(items.map((i) => `${i.row.carrierCode}\u0000${i.row.trackingNumber}`));
  const trackings = page.items.filter((t) => wanted.has(`${t.carrierCode}\u0000${t.trackingNumber}`));
  return { submitted: items.length, added: trackings.length, trackings, errors: [] };
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
  items: ClaimedRow[],
  error: unknown,
  now: Date,
): Promise<BatchOutcome> {
  const outcome = classifyOutcome(error);
  if (outcome === "quota_exhausted") {
    await pauseShopForQuota(shop, items, now);
    return "stop";
  }
  if (outcome === "key_rejected") {
    // Sending more would only fail the same way; the merchant must fix the key.
    await queue.release(
      items.map((i) => i.claim),
      { syncState: "waiting_api_key", lastError: "TrackingMore rejected the API key; check it in Settings" },
    );
    await pauseShop(shop, "api_key_rejected", new Date(now.getTime() + KEY_REJECTED_RECHECK_MS));
    log.warn({ shop, code: (error as TrackingMoreError).code }, "TrackingMore rejected the shop's API key");
    return "stop";
  }
  const message = error instanceof Error ? error.message : String(error);
  const retryable = outcome === "transient" || outcome === "rate_limited";
  log.warn({ shop, err: message, retryable, rows: items.length }, "batch create failed");
  for (const { claim } of items) {
    await queue.fail(
      claim,
      retryable
        ? new Error(`TrackingMore is not reachable right now (${message}); retrying automatically`)
        : new PermanentFailure(`TrackingMore refused the request: ${message}`),
      { now },
    );
  }
  return "stop";
}

function pauseShop(shop: string, reason: "quota_exhausted" | "api_key_rejected", until: Date) {
  return prisma.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, dispatchPausedReason: reason, dispatchPausedUntil: until },
    update: { dispatchPausedReason: reason, dispatchPausedUntil: until },
  });
}

async function pauseShopForQuota(shop: string, items: ClaimedRow[], now: Date) {
  await queue.release(
    items.map((i) => i.claim),
    {
      syncState: "quota_paused",
      lastError: "Your TrackingMore quota is used up; sending resumes when quota is added",
    },
  );
  await pauseShop(shop, "quota_exhausted", new Date(now.getTime() + QUOTA_RECHECK_MS));
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
