import prisma from "~/db/client.server";
import { HISTORY_SIZE, type CarrierDistribution } from "./estimate";

// What the estimate rests on for one route: TrackingMore's transit-time figures (cached in
// TransitTimeStats, asked for by the transit-times job) and the shop's own latest deliveries.
// One RouteData per round caches both, so a batch of parcels on one route reads them once.

export interface RouteKey {
  carrierCode: string;
  originCountry: string;
  destinationCountry: string;
}

export function routeId(r: RouteKey): string {
  return `${r.carrierCode}|${r.originCountry}|${r.destinationCountry}`;
}

/** TrackingMore's costtime needs both countries. */
export function hasCountries(r: RouteKey): boolean {
  return r.originCountry !== "" && r.destinationCountry !== "";
}

export function parseRanges(json: string | null): number[] | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) && value.length === 5 ? value.map(Number) : null;
  } catch {
    return null;
  }
}

export class RouteData {
  private readonly carrier = new Map<string, Promise<CarrierDistribution | null>>();
  private readonly history = new Map<string, Promise<number[]>>();

  /** TrackingMore's figures for the route, or null; an unknown route is queued for the job. */
  carrierDistribution(route: RouteKey, shop: string, now: Date): Promise<CarrierDistribution | null> {
    if (!hasCountries(route)) return Promise.resolve(null);
    const id = routeId(route);
    let found = this.carrier.get(id);
    if (!found) {
      found = loadCarrierDistribution(route, shop, now);
      this.carrier.set(id, found);
    }
    return found;
  }

  /** Whole days to delivery of the shop's latest deliveries on the route. */
  shopHistory(route: RouteKey, shop: string): Promise<number[]> {
    const id = `${shop}|${routeId(route)}`;
    let found = this.history.get(id);
    if (!found) {
      found = prisma.deliveryPromise
        .findMany({
          where: { shop, ...route, deliveredAt: { not: null } },
          orderBy: { deliveredAt: "desc" },
          take: HISTORY_SIZE,
          select: { deliveryDays: true },
        })
        .then((rows) => rows.map((r) => r.deliveryDays).filter((d): d is number => d !== null));
      this.history.set(id, found);
    }
    return found;
  }
}

async function loadCarrierDistribution(
  route: RouteKey,
  shop: string,
  now: Date,
): Promise<CarrierDistribution | null> {
  const key = { carrierCode_originCountry_destinationCountry: route };
  const row = await prisma.transitTimeStats.findUnique({ where: key });
  if (!row) {
    // First parcel on this route: the transit-times job asks TrackingMore with this shop's key.
    await prisma.transitTimeStats
      .create({ data: { ...route, requestedBy: shop, nextFetchAt: now } })
      .catch(() => undefined); // another worker queued it at the same moment
    return null;
  }
  // The shop that asked for it was redacted: this one's key asks from now on.
  if (row.requestedBy === "") {
    await prisma.transitTimeStats.updateMany({
      where: { ...route, requestedBy: "" },
      data: { requestedBy: shop },
    });
  }
  const ranges = parseRanges(row.ranges);
  return ranges && row.delivered > 0 ? { ranges, delivered: row.delivered } : null;
}
