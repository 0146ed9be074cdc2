import prisma from "~/db/client.server";

// The carrier performance page: figures per carrier and per route (origin → destination) for
// the parcels created in a period, read from the daily rollup (a year is at most 366 rows per
// route), never from TrackingMore, and summed by the database. Median and p90 come from the
// merged days-to-delivery histograms, so they are exact, not averages of averages.

import type { AnalyticsPeriod } from "~/models/periods";

export interface PerformanceFigures {
  parcels: number;
  delivered: number;
  medianDays: number | null;
  p90Days: number | null;
  /** Share (0-1) of delivered parcels with an estimate that arrived by its upper bound. */
  withinEstimate: number | null;
  /** Of how many delivered parcels that share is taken. */
  withEstimate: number;
  exceptionRate: number | null;
  failedAttemptRate: number | null;
}

export interface CarrierPerformance extends PerformanceFigures {
  carrierCode: string;
}

export interface RoutePerformance extends PerformanceFigures {
  carrierCode: string;
  originCountry: string;
  destinationCountry: string;
}

export interface CarrierAnalytics {
  period: AnalyticsPeriod;
  from: string;
  to: string;
  total: PerformanceFigures;
  carriers: CarrierPerformance[];
  routes: RoutePerformance[];
}

interface Accumulator {
  parcels: number;
  delivered: number;
  withEdd: number;
  withinEdd: number;
  exceptions: number;
  failedAttempts: number;
  days: Map<number, number>;
}

const empty = (): Accumulator => ({
  parcels: 0,
  delivered: 0,
  withEdd: 0,
  withinEdd: 0,
  exceptions: 0,
  failedAttempts: 0,
  days: new Map(),
});

/** The q-quantile (nearest rank) of a histogram {days: parcels}. */
export function histogramQuantile(days: Map<number, number>, q: number): number | null {
  const total = [...days.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const d of [...days.keys()].sort((a, b) => a - b)) {
    seen += days.get(d)!;
    if (seen >= rank) return d;
  }
  return null;
}

function figures(a: Accumulator): PerformanceFigures {
  const share = (n: number, of: number) => (of > 0 ? n / of : null);
  return {
    parcels: a.parcels,
    delivered: a.delivered,
    medianDays: histogramQuantile(a.days, 0.5),
    p90Days: histogramQuantile(a.days, 0.9),
    withinEstimate: share(a.withinEdd, a.withEdd),
    withEstimate: a.withEdd,
    exceptionRate: share(a.exceptions, a.parcels),
    failedAttemptRate: share(a.failedAttempts, a.parcels),
  };
}

const ROUTE = ["carrierCode", "originCountry", "destinationCountry"] as const;
type RouteKey = Omit<RoutePerformance, keyof PerformanceFigures>;

/** The period's figures per route, summed by the database (a few dozen rows come back). */
async function readRoutes(shop: string, from: string, to: string) {
  const where = { shop, day: { gte: from, lte: to } };
  const [counts, days] = await Promise.all([
    prisma.carrierDailyStats.groupBy({
      by: [...ROUTE],
      where,
      _sum: {
        parcels: true,
        delivered: true,
        deliveredWithEdd: true,
        deliveredWithinEdd: true,
        exceptions: true,
        failedAttempts: true,
      },
    }),
    prisma.carrierDailyDays.groupBy({ by: [...ROUTE, "days"], where, _sum: { parcels: true } }),
  ]);
  return { counts, days };
}

const DAY_MS = 86_400_000;

/** The parcels created in the last `period` UTC days, today included. */
export async function getCarrierAnalytics(
  shop: string,
  period: AnalyticsPeriod,
  now = new Date(),
): Promise<CarrierAnalytics> {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (period - 1) * DAY_MS).toISOString().slice(0, 10);
  const { counts, days } = await readRoutes(shop, from, to);
  const total = empty();
  const carriers = new Map<string, Accumulator>();
  const routes = new Map<string, { key: RouteKey; acc: Accumulator }>();
  // The accumulators a route's figures add to: the total, its carrier's and its own.
  const targets = ({ carrierCode, originCountry, destinationCountry }: RouteKey) => {
    let c = carriers.get(carrierCode);
    if (!c) carriers.set(carrierCode, (c = empty()));
    const id = `${carrierCode}|${originCountry}|${destinationCountry}`;
    let r = routes.get(id);
    if (!r) routes.set(id, (r = { key: { carrierCode, originCountry, destinationCountry }, acc: empty() }));
    return [total, c, r.acc];
  };
  for (const row of counts) {
    for (const acc of targets(row)) {
      acc.parcels += row._sum.parcels ?? 0;
      acc.delivered += row._sum.delivered ?? 0;
      acc.withEdd += row._sum.deliveredWithEdd ?? 0;
      acc.withinEdd += row._sum.deliveredWithinEdd ?? 0;
      acc.exceptions += row._sum.exceptions ?? 0;
      acc.failedAttempts += row._sum.failedAttempts ?? 0;
    }
  }
  for (const row of days) {
    for (const acc of targets(row))
      acc.days.set(row.days, (acc.days.get(row.days) ?? 0) + (row._sum.parcels ?? 0));
  }
  const byParcels = (a: PerformanceFigures, b: PerformanceFigures) => b.parcels - a.parcels;
  return {
    period,
    from,
    to,
    total: figures(total),
    carriers: [...carriers.entries()]
      .map(([carrierCode, acc]) => ({ carrierCode, ...figures(acc) }))
      .sort((a, b) => byParcels(a, b) || a.carrierCode.localeCompare(b.carrierCode)),
    routes: [...routes.values()]
      .map(({ key, acc }) => ({ ...key, ...figures(acc) }))
      .sort((a, b) => byParcels(a, b) || a.carrierCode.localeCompare(b.carrierCode)),
  };
}
