import prisma from "~/db/client.server";
import { logger } from "~/logger.server";
import { MAX_BATCH_ITEMS, TrackingMoreError } from "~/trackingmore";
import { trackingMoreClientForShop } from "~/models/settings.server";
import { refreshRouteEstimates } from "./sync.server";

// TrackingMore's /trackings/costtime, per route: asked for once when a route first appears,
// then weekly. Routes are asked 40 to a call with the key of the shop that first needed them;
// a failed call is tried again an hour later, and a shop without a key leaves its routes
// waiting a day (its parcels are estimated from its own history meanwhile).

export const REFRESH_EVERY_MS = 7 * 86_400_000;
const RETRY_AFTER_MS = 3_600_000;
const NO_KEY_RETRY_MS = 86_400_000;

const log = logger.child({ component: "transit-times" });

/** One round: one shop's due routes, at most one call. Returns how many routes it handled. */
export async function refreshTransitTimes(now = new Date()): Promise<number> {
  const first = await prisma.transitTimeStats.findFirst({
    where: { nextFetchAt: { lte: now } },
    orderBy: { nextFetchAt: "asc" },
    select: { requestedBy: true },
  });
  if (!first) return 0;
  const shop = first.requestedBy;
  const due = await prisma.transitTimeStats.findMany({
    where: { requestedBy: shop, nextFetchAt: { lte: now } },
    orderBy: { nextFetchAt: "asc" },
    take: MAX_BATCH_ITEMS,
  });
  const client = await trackingMoreClientForShop(shop);
  const keys = due.map((r) => ({
    carrierCode_originCountry_destinationCountry: {
      carrierCode: r.carrierCode,
      originCountry: r.originCountry,
      destinationCountry: r.destinationCountry,
    },
  }));
  if (!client) {
    await prisma.transitTimeStats.updateMany({
      where: { OR: keys.map((k) => k.carrierCode_originCountry_destinationCountry) },
      data: { nextFetchAt: new Date(now.getTime() + NO_KEY_RETRY_MS), lastError: "no API key" },
    });
    return due.length;
  }
  try {
    const results = await client.transitTimes(
      due.map((r) => ({
        carrierCode: r.carrierCode,
        original: r.originCountry,
        destination: r.destinationCountry,
      })),
    );
    for (const [i, row] of due.entries()) {
      // Answers come in the order asked; matched by route too in case an item is left out.
      const answer =
        results.find(
          (a) =>
            a.carrierCode === row.carrierCode &&
            a.original.toUpperCase() === row.originCountry &&
            a.destination.toUpperCase() === row.destinationCountry,
        ) ?? results[i];
      await prisma.transitTimeStats.update({
        where: keys[i],
        data: answer
          ? {
              total: answer.total,
              delivered: answer.delivered,
              ranges: JSON.stringify(answer.ranges),
              fetchedAt: now,
              nextFetchAt: new Date(now.getTime() + REFRESH_EVERY_MS),
              lastError: null,
            }
          : {
              nextFetchAt: new Date(now.getTime() + REFRESH_EVERY_MS),
              fetchedAt: now,
              lastError: "no figures",
            },
      });
      if (answer) await refreshRouteEstimates(keys[i].carrierCode_originCountry_destinationCountry, now);
    }
  } catch (error) {
    const message = error instanceof TrackingMoreError ? `${error.code}: ${error.message}` : String(error);
    log.warn({ shop, routes: due.length, error: message }, "transit times not fetched");
    await prisma.transitTimeStats.updateMany({
      where: { OR: keys.map((k) => k.carrierCode_originCountry_destinationCountry) },
      data: { nextFetchAt: new Date(now.getTime() + RETRY_AFTER_MS), lastError: message.slice(0, 300) },
    });
  }
  return due.length;
}
