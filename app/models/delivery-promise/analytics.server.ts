import prisma from "~/db.server";

// The carrier performance page: figures per carrier and per route (origin → destination) for
// the parcels created in a period, read from the daily rollup (a year is at most 366 rows per
// route), never from TrackingMore. Median and p90 merge the days-to-delivery histograms, so
// they are exact, not averages of averages.

import { DEFAULT_PERIOD, PERIODS, type PeriodDays } from "./periods";

export { PERIODS, type PeriodDays };

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
  period: PeriodDays;
  from: string;
  to: string;
  total: PerformanceFigures;
  carriers: CarrierPerformance[];
  routes: RoutePerformance[];
}

export function parsePeriod(value: string | null): PeriodDays {
  const n = Number(value);
  return (PERIODS as readonly number[]).includes(n) ? (n as PeriodDays) : DEFAULT_PERIOD;
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

type StatsRow = Awaited<ReturnType<typeof readRows>>[number];

function add(a: Accumulator, row: StatsRow) {
  a.parcels += row.parcels;
  a.delivered += row.delivered;
  a.withEdd += row.deliveredWithEdd;
  a.withinEdd += row.deliveredWithinEdd;
  a.exceptions += row.exceptions;
  a.failedAttempts += row.failedAttempts;
  let histogram: Record<string, number> = {};
  try {
    histogram = JSON.parse(row.deliveryDays) as Record<string, number>;
  } catch {
    histogram = {};
  }
  for (const [d, n] of Object.entries(histogram)) a.days.set(Number(d), (a.days.get(Number(d)) ?? 0) + n);
}

function readRows(shop: string, from: string, to: string) {
  return prisma.carrierDailyStats.findMany({
    where: { shop, day: { gte: from, lte: to } },
    select: {
      carrierCode: true,
      originCountry: true,
      destinationCountry: true,
      parcels: true,
      delivered: true,
      deliveredWithEdd: true,
      deliveredWithinEdd: true,
      exceptions: true,
      failedAttempts: true,
      deliveryDays: true,
    },
  });
}

const DAY_MS = 86_400_000;

/** The parcels created in the last `period` UTC days, today included. */
export async function getCarrierAnalytics(
  shop: string,
  period: PeriodDays,
  now = new Date(),
): Promise<CarrierAnalytics> {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (period - 1) * DAY_MS).toISOString().slice(0, 10);
  const rows = await readRows(shop, from, to);
  const total = empty();
  const carriers = new Map<string, Accumulator>();
  const routes = new Map<
    string,
    { key: Omit<RoutePerformance, keyof PerformanceFigures>; acc: Accumulator }
  >();
  for (const row of rows) {
    add(total, row);
    let c = carriers.get(row.carrierCode);
    if (!c) carriers.set(row.carrierCode, (c = empty()));
    add(c, row);
    const id = `${row.carrierCode}|${row.originCountry}|${row.destinationCountry}`;
    let r = routes.get(id);
    if (!r) {
      r = {
        key: {
          carrierCode: row.carrierCode,
          originCountry: row.originCountry,
          destinationCountry: row.destinationCountry,
        },
        acc: empty(),
      };
      routes.set(id, r);
    }
    add(r.acc, row);
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
