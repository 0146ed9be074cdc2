import prisma from "~/db/client.server";
import { logger } from "~/logger.server";
import { trackingMoreClientForShop } from "~/models/settings.server";
import type { TrackingMoreClient } from "~/trackingmore";
import type { LiveCarrier } from "./catalog";

// The account's live carrier list (GET /carriers), fetched once a day per shop and kept in the
// database. A failed fetch (TrackingMore down, key revoked) records the error and keeps the
// last good list, so mapping never falls back to less than it had.

export const CARRIER_LIST_MAX_AGE_MS = 24 * 3_600_000;
/** After a failed fetch, wait this long before trying that shop again. */
export const CARRIER_LIST_RETRY_MS = 3_600_000;

const log = logger.child({ component: "carrier-list" });

export async function loadLiveCarriers(shop: string): Promise<LiveCarrier[] | null> {
  const row = await prisma.carrierListCache.findUnique({ where: { shop }, select: { carriers: true } });
  if (!row?.carriers) return null;
  try {
    const parsed: unknown = JSON.parse(row.carriers);
    return Array.isArray(parsed) ? (parsed as LiveCarrier[]) : null;
  } catch {
    return null;
  }
}

export type RefreshOutcome = "refreshed" | "failed" | "no_key";

/** Fetches and stores one shop's list now; a failure keeps what was stored. */
export async function refreshCarrierList(
  shop: string,
  options: { client?: TrackingMoreClient | null; now?: Date } = {},
): Promise<RefreshOutcome> {
  const now = options.now ?? new Date();
  const client = options.client === undefined ? await trackingMoreClientForShop(shop) : options.client;
  if (!client) return "no_key";
  try {
    const carriers = (await client.listCarriers())
      .filter((c) => c.code)
      .map<LiveCarrier>((c) => ({ code: c.code, name: c.name }));
    if (carriers.length === 0) throw new Error("TrackingMore answered an empty carrier list");
    const data = { carriers: JSON.stringify(carriers), fetchedAt: now, attemptedAt: now, lastError: null };
    await prisma.carrierListCache.upsert({ where: { shop }, create: { shop, ...data }, update: data });
    return "refreshed";
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn({ shop, err: message }, "carrier list refresh failed; keeping the last good list");
    await prisma.carrierListCache.upsert({
      where: { shop },
      create: { shop, attemptedAt: now, lastError: message },
      update: { attemptedAt: now, lastError: message },
    });
    return "failed";
  }
}

/** One round of the daily job: the shop whose list is oldest and due, if any. */
export async function refreshNextCarrierList(now: Date = new Date()): Promise<number> {
  const withKeys = await prisma.shopSettings.findMany({
    where: { trackingMoreApiKeyCipher: { not: null } },
    select: { shop: true },
  });
  if (withKeys.length === 0) return 0;
  const installed = await prisma.shop.findMany({
    where: { domain: { in: withKeys.map((s) => s.shop) }, uninstalledAt: null },
    select: { domain: true },
  });
  const caches = await prisma.carrierListCache.findMany({
    where: { shop: { in: installed.map((s) => s.domain) } },
    select: { shop: true, fetchedAt: true, attemptedAt: true },
  });
  const byShop = new Map(caches.map((c) => [c.shop, c]));
  for (const { domain } of installed) {
    const cache = byShop.get(domain);
    const stale = !cache?.fetchedAt || now.getTime() - cache.fetchedAt.getTime() >= CARRIER_LIST_MAX_AGE_MS;
    const resting = cache?.attemptedAt && now.getTime() - cache.attemptedAt.getTime() < CARRIER_LIST_RETRY_MS;
    if (!stale || resting) continue;
    // Claim by stamping the attempt, so two workers never fetch one shop's list at once.
    if (cache) {
      const claimed = await prisma.carrierListCache.updateMany({
        where: { shop: domain, attemptedAt: cache.attemptedAt },
        data: { attemptedAt: now },
      });
      if (claimed.count !== 1) continue;
    } else {
      try {
        await prisma.carrierListCache.create({ data: { shop: domain, attemptedAt: now } });
      } catch {
        continue; // another worker created it first
      }
    }
    await refreshCarrierList(domain, { now });
    return 1;
  }
  return 0;
}
