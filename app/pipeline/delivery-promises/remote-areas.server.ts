import prisma from "~/db/client.server";
import { logger } from "~/logger.server";
import { MAX_BATCH_ITEMS, TrackingMoreError } from "~/trackingmore";
import { trackingMoreClientForShop } from "~/models/settings.server";

// Remote delivery areas: UPS, DHL, FedEx and TNT charge extra and take longer to some
// postcodes, and TrackingMore's /trackings/remote knows which. Each new parcel of those carriers
// with a postcode is asked about once, 40 to a call (5 calls cost 1 quota, so a full call is the
// cheapest), one shop per round. No quota: the shop's parcels wait a day; no key: they wait
// until one is saved (the next round finds them again).

export const REMOTE_CARRIERS = ["ups", "dhl", "fedex", "tnt"] as const;
const QUOTA_RETRY_MS = 86_400_000;
const ERROR_RETRY_MS = 3_600_000;

const log = logger.child({ component: "remote-areas" });

const normalise = (value: string | null | undefined) => (value ?? "").replace(/\s+/g, "").toUpperCase();

/** When a shop's remote checks may run again after quota ran out or TrackingMore failed. */
const pausedUntil = new Map<string, number>();

/** One round: up to 40 parcels of one shop. Returns how many it checked. */
export async function checkRemoteAreas(now = new Date()): Promise<number> {
  const due = await prisma.deliveryPromise.findMany({
    where: {
      remoteCheckedAt: null,
      carrierCode: { in: [...REMOTE_CARRIERS] },
      destinationCountry: { not: "" },
      tracking: { destinationPostcode: { not: null } },
      ...(pausedUntil.size > 0
        ? { shop: { notIn: [...pausedUntil].filter(([, until]) => until > now.getTime()).map(([s]) => s) } }
        : {}),
    },
    take: 1,
    select: { shop: true },
  });
  if (due.length === 0) return 0;
  const shop = due[0].shop;
  const parcels = await prisma.deliveryPromise.findMany({
    where: {
      shop,
      remoteCheckedAt: null,
      carrierCode: { in: [...REMOTE_CARRIERS] },
      destinationCountry: { not: "" },
      tracking: { destinationPostcode: { not: null } },
    },
    take: MAX_BATCH_ITEMS,
    select: {
      trackingId: true,
      carrierCode: true,
      destinationCountry: true,
      tracking: { select: { destinationPostcode: true } },
    },
  });
  const client = await trackingMoreClientForShop(shop);
  if (!client) {
    pausedUntil.set(shop, now.getTime() + ERROR_RETRY_MS);
    return 0;
  }
  try {
    const result = await client.checkRemoteAreas(
      parcels.map((p) => ({
        country: p.destinationCountry,
        postcode: p.tracking.destinationPostcode!,
        company: p.carrierCode,
      })),
    );
    const remote = new Set(
      result.remote.map((r) => `${normalise(r.country)}|${normalise(r.cityOrPostcode)}`),
    );
    const isRemote = (p: (typeof parcels)[number]) =>
      remote.has(`${p.destinationCountry}|${normalise(p.tracking.destinationPostcode)}`);
    const flagged = parcels.filter(isRemote).map((p) => p.trackingId);
    await prisma.$transaction([
      prisma.deliveryPromise.updateMany({
        where: { trackingId: { in: flagged } },
        data: { remoteArea: true, remoteCheckedAt: now },
      }),
      prisma.deliveryPromise.updateMany({
        where: { trackingId: { in: parcels.map((p) => p.trackingId).filter((id) => !flagged.includes(id)) } },
        data: { remoteArea: false, remoteCheckedAt: now },
      }),
    ]);
    return parcels.length;
  } catch (error) {
    const quota = error instanceof TrackingMoreError && error.code === 4021;
    pausedUntil.set(shop, now.getTime() + (quota ? QUOTA_RETRY_MS : ERROR_RETRY_MS));
    log.warn(
      { shop, parcels: parcels.length, code: error instanceof TrackingMoreError ? error.code : undefined },
      quota ? "no quota left for remote-area checks; trying again tomorrow" : "remote-area check failed",
    );
    // A refused batch (bad postcode, unknown company) must not block the shop's others forever.
    if (error instanceof TrackingMoreError && !error.retryable && !quota) {
      await prisma.deliveryPromise.updateMany({
        where: { trackingId: { in: parcels.map((p) => p.trackingId) } },
        data: { remoteCheckedAt: now },
      });
    }
    return 0;
  }
}

/** Tests start from a clean slate. */
export function resetRemoteAreaPauses() {
  pausedUntil.clear();
}
