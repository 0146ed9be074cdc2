// The delivery estimate's arithmetic, free of the database: a range of days after shipping that
// holds CONFIDENCE % of a route's deliveries, from TrackingMore's transit-time distribution, the
// shop's own deliveries on the route, or both blended.

/** The range is the middle 80 % of deliveries: from the 10th to the 90th percentile. */
export const CONFIDENCE = 80;
const LOW_Q = 0.1;
const HIGH_Q = 0.9;
/**
 * How many of the shop's own deliveries weigh as much as TrackingMore's whole distribution:
 * with 20 of its own the estimate rests half on them, with 180 nine tenths.
 */
export const SHOP_HISTORY_WEIGHT = 20;
/** Fewer own deliveries than this, and no TrackingMore figures: no estimate. */
export const MIN_SHOP_DELIVERIES = 3;
/** The deliveries of a route the estimate looks at, newest first. */
export const HISTORY_SIZE = 200;

/** costtime's buckets: 0-7, 7-15, 16-30, 31-60, 60+ days; "60+" is read as 60-90. */
const BUCKETS: [number, number][] = [
  [0, 7],
  [7, 15],
  [15, 30],
  [30, 60],
  [60, 90],
];

export interface CarrierDistribution {
  /** Percent delivered per bucket (costtime's range1..range5). */
  ranges: number[];
  /** How many deliveries TrackingMore's figures rest on. */
  delivered: number;
}

export type EstimateSource = "trackingmore" | "shop" | "blended";

export interface DayRange {
  lowDays: number;
  highDays: number;
  confidence: number;
  source: EstimateSource;
  shopDeliveries: number;
  carrierDeliveries: number;
}

/** The q-quantile in days of a bucketed distribution, linear within a bucket. */
export function distributionQuantile(ranges: number[], q: number): number | null {
  const shares = BUCKETS.map((_, i) => Math.max(0, Number(ranges[i]) || 0));
  const sum = shares.reduce((a, b) => a + b, 0);
  if (sum <= 0) return null;
  let below = 0;
  for (let i = 0; i < BUCKETS.length; i++) {
    const share = shares[i] / sum;
    if (share > 0 && below + share >= q) {
      const [from, to] = BUCKETS[i];
      return from + ((q - below) / share) * (to - from);
    }
    below += share;
  }
  return BUCKETS[BUCKETS.length - 1][1];
}

/** The q-quantile of whole days (nearest rank). `days` must be sorted ascending. */
export function sampleQuantile(days: number[], q: number): number {
  const rank = Math.min(days.length, Math.max(1, Math.ceil(q * days.length)));
  return days[rank - 1];
}

export function estimateDays(carrier: CarrierDistribution | null, shopDays: number[]): DayRange | null {
  const own = [...shopDays].sort((a, b) => a - b);
  const tmLow = carrier ? distributionQuantile(carrier.ranges, LOW_Q) : null;
  const tmHigh = carrier ? distributionQuantile(carrier.ranges, HIGH_Q) : null;
  const hasCarrier = tmLow !== null && tmHigh !== null;
  const carrierDeliveries = hasCarrier ? carrier!.delivered : 0;
  if (!hasCarrier && own.length < MIN_SHOP_DELIVERIES) return null;

  let low: number;
  let high: number;
  let source: EstimateSource;
  if (!hasCarrier) {
    low = sampleQuantile(own, LOW_Q);
    high = sampleQuantile(own, HIGH_Q);
    source = "shop";
  } else if (own.length === 0) {
    low = tmLow;
    high = tmHigh;
    source = "trackingmore";
  } else {
    const w = own.length / (own.length + SHOP_HISTORY_WEIGHT);
    low = w * sampleQuantile(own, LOW_Q) + (1 - w) * tmLow;
    high = w * sampleQuantile(own, HIGH_Q) + (1 - w) * tmHigh;
    source = "blended";
  }
  const lowDays = Math.max(0, Math.floor(low));
  const highDays = Math.max(lowDays, 1, Math.ceil(high));
  return {
    lowDays,
    highDays,
    confidence: CONFIDENCE,
    source,
    shopDeliveries: own.length,
    carrierDeliveries,
  };
}

const DAY_MS = 86_400_000;

/** Whole days from shipping to delivery, rounded up (a parcel delivered the same day: 0). */
export function wholeDays(from: Date, to: Date): number {
  return Math.max(0, Math.ceil((to.getTime() - from.getTime()) / DAY_MS));
}

export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}
