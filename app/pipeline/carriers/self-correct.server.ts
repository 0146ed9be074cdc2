import prisma from "~/db/client.server";
import { logger } from "~/logger.server";
import { TrackingMoreError, type TrackingMoreClient } from "~/trackingmore";
import { trackingMoreClientForShop } from "~/models/settings.server";
import { cachedCandidates, rememberDetection } from "~/models/carriers/carriers.server";

// Self-correcting carriers. A tracking TrackingMore has not found for a while (the shop's
// `carrierRecheckDays`, default 3) or whose carrier TrackingMore refused (4015) most likely went
// to the wrong carrier: ask detection (cached per number shape, so quota is spent once per shape)
// and move the tracking to the next candidate it has not had yet, at most twice. At TrackingMore
// that is change-carrier; a refused tracking is simply sent again under the new carrier. Each
// switch is a CarrierSwitch row: the tracking's carrier timeline in the admin. A carrier the
// merchant chose by hand is never touched.

export const MAX_CARRIER_SWITCHES = 2;
export const DEFAULT_RECHECK_DAYS = 3;
/** Rows looked at per shop and round: detection and change-carrier each cost a call. */
const BATCH = 20;
const DAY_MS = 86_400_000;
/** How the dispatcher words a create TrackingMore refused for its carrier code. */
const REFUSED_CARRIER = "(4015)";

const log = logger.child({ component: "self-correct" });

export type SwitchReason = "notfound" | "refused";

export interface SelfCorrectResult {
  checked: number;
  switched: number;
  /** Detection or change-carrier stopped on exhausted quota: the rest wait for the next round. */
  quotaExhausted: boolean;
}

export interface SelfCorrectOptions {
  now?: Date;
  client?: TrackingMoreClient | null;
}

const notMerchantChosen = { OR: [{ carrierSource: null }, { carrierSource: { not: "merchant" } }] };

async function dueTrackings(shop: string, now: Date, recheckDays: number) {
  const cutoff = new Date(now.getTime() - recheckDays * DAY_MS);
  return prisma.tracking.findMany({
    where: {
      shop,
      archived: false,
      carrierSwitches: { lt: MAX_CARRIER_SWITCHES },
      AND: [
        notMerchantChosen,
        {
          OR: [
            // Not found for too long since it was sent, or since its carrier was last checked.
            {
              syncState: "synced",
              status: "notfound",
              OR: [
                { carrierCheckedAt: { lte: cutoff } },
                { carrierCheckedAt: null, syncedAt: { lte: cutoff } },
              ],
            },
            // Refused for its carrier: no waiting, but not again until the next check is due.
            // (dispatch dead-letters a refused create, keeping its state "pending").
            {
              syncState: "pending",
              deadAt: { not: null },
              lastError: { contains: REFUSED_CARRIER },
              OR: [{ carrierCheckedAt: null }, { carrierCheckedAt: { lte: cutoff } }],
            },
          ],
        },
      ],
    },
    select: {
      id: true,
      trackingNumber: true,
      carrierCode: true,
      carrierCheckedAt: true,
      syncState: true,
      deadAt: true,
    },
    orderBy: { createdAt: "asc" },
    take: BATCH,
  });
}

// By code: TrackingMore's meta.type for these varies ("Forbidden" for 4021).
const isQuotaError = (error: unknown) =>
  error instanceof TrackingMoreError && (error.code === 4021 || error.code === 4019 || error.code === 402);

/** Detection's candidates for a number, from the cache by shape when it was asked before. */
async function candidatesFor(client: TrackingMoreClient, trackingNumber: string): Promise<string[]> {
  const cached = await cachedCandidates(trackingNumber);
  if (cached) return cached;
  const codes = (await client.detectCarrier(trackingNumber)).map((c) => c.code).filter(Boolean);
  if (codes.length > 0) await rememberDetection(trackingNumber, codes[0], codes);
  return codes;
}

export async function selfCorrectShop(
  shop: string,
  options: SelfCorrectOptions = {},
): Promise<SelfCorrectResult> {
  const now = options.now ?? new Date();
  const result: SelfCorrectResult = { checked: 0, switched: 0, quotaExhausted: false };
  const [settings, shopRow] = await Promise.all([
    prisma.shopSettings.findUnique({ where: { shop }, select: { carrierRecheckDays: true } }),
    prisma.shop.findUnique({
      where: { domain: shop },
      select: { dispatchPausedUntil: true, uninstalledAt: true },
    }),
  ]);
  // Detection costs quota: a shop paused for exhausted quota waits like its dispatch does.
  if (shopRow?.uninstalledAt || (shopRow?.dispatchPausedUntil && shopRow.dispatchPausedUntil > now))
    return result;
  const rows = await dueTrackings(shop, now, settings?.carrierRecheckDays ?? DEFAULT_RECHECK_DAYS);
  if (rows.length === 0) return result;
  const client = options.client === undefined ? await trackingMoreClientForShop(shop) : options.client;
  if (!client) return result;

  for (const row of rows) {
    // Claim the row: a second worker's round sees the check already done and skips it.
    const claimed = await prisma.tracking.updateMany({
      where: { id: row.id, carrierCheckedAt: row.carrierCheckedAt, carrierCode: row.carrierCode },
      data: { carrierCheckedAt: now },
    });
    if (claimed.count !== 1) continue;
    result.checked++;
    try {
      const candidates = await candidatesFor(client, row.trackingNumber);
      const history = await prisma.carrierSwitch.findMany({
        where: { shop, trackingId: row.id },
        select: { fromCarrier: true },
      });
      const tried = new Set([row.carrierCode, ...history.map((h) => h.fromCarrier)]);
      const next = candidates.find((code) => !tried.has(code));
      if (!next) continue;
      const clash = await prisma.tracking.findFirst({
        where: { shop, carrierCode: next, trackingNumber: row.trackingNumber },
        select: { id: true },
      });
      if (clash) continue;
      const reason: SwitchReason = row.deadAt ? "refused" : "notfound";
      if (reason === "notfound") {
        await client.changeCarrier(
          { carrierCode: row.carrierCode, trackingNumber: row.trackingNumber },
          next,
        );
      }
      await prisma.$transaction([
        prisma.tracking.update({
          where: { id: row.id },
          data: {
            carrierCode: next,
            carrierSource: "detected",
            carrierSwitches: { increment: 1 },
            carrierCheckedAt: now,
            // A refused tracking was never created: the dispatcher sends it under the new carrier.
            ...(reason === "refused"
              ? { syncState: "pending", deadAt: null, lastError: null, attempts: 0, nextAttemptAt: now }
              : {}),
          },
        }),
        prisma.carrierSwitch.create({
          data: {
            shop,
            trackingId: row.id,
            fromCarrier: row.carrierCode,
            toCarrier: next,
            reason,
            createdAt: now,
          },
        }),
      ]);
      result.switched++;
      log.info({ shop, trackingId: row.id, from: row.carrierCode, to: next, reason }, "carrier switched");
    } catch (error) {
      if (isQuotaError(error)) {
        // The tracking keeps its carrier and is checked again once quota returns.
        await prisma.tracking.updateMany({
          where: { id: row.id, carrierCheckedAt: now },
          data: { carrierCheckedAt: row.carrierCheckedAt },
        });
        result.quotaExhausted = true;
        break;
      }
      if (error instanceof TrackingMoreError && error.retryable) {
        await prisma.tracking.updateMany({
          where: { id: row.id, carrierCheckedAt: now },
          data: { carrierCheckedAt: row.carrierCheckedAt },
        });
        throw error;
      }
      // Detection could not tell (4032) or TrackingMore refused the switch: try again next period.
      log.warn({ shop, trackingId: row.id, err: error }, "carrier self-correction failed for one tracking");
    }
  }
  return result;
}

/** One round of the background job: every installed shop with a key. */
export async function selfCorrectCarriers(now: Date = new Date()): Promise<number> {
  const shops = await prisma.shopSettings.findMany({
    where: { trackingMoreApiKeyCipher: { not: null } },
    select: { shop: true },
  });
  let switched = 0;
  for (const { shop } of shops) {
    try {
      switched += (await selfCorrectShop(shop, { now })).switched;
    } catch (error) {
      log.warn({ shop, err: error }, "carrier self-correction round failed; the next round retries");
    }
  }
  return switched;
}

export interface CarrierSwitchView {
  fromCarrier: string;
  toCarrier: string;
  reason: SwitchReason;
  at: Date;
}

/** The tracking's carrier timeline, oldest first (the admin names the carriers in its language). */
export async function carrierSwitchesOf(shop: string, trackingId: string): Promise<CarrierSwitchView[]> {
  const rows = await prisma.carrierSwitch.findMany({
    where: { shop, trackingId },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({
    fromCarrier: r.fromCarrier,
    toCarrier: r.toCarrier,
    reason: r.reason === "refused" ? "refused" : "notfound",
    at: r.createdAt,
  }));
}
