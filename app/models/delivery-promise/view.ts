// How an estimate is shown, the same on every surface (admin detail and list, storefront page,
// order block): a range while it can still hold, "later than expected" once it has passed,
// nothing once the parcel is delivered or before the carrier has it.

export type EstimateSource = "trackingmore" | "shop" | "blended";

export interface DeliveryEstimate {
  state: "expected" | "late";
  /** ISO dates (UTC); `earliest` never lies in the past while the estimate holds. */
  earliest: string;
  latest: string;
  confidence: number;
  source: EstimateSource;
  shopDeliveries: number;
  carrierDeliveries: number;
}

export interface PromiseFields {
  eddEarliestAt: Date | string | null;
  eddLatestAt: Date | string | null;
  eddConfidence: number | null;
  eddSource: string | null;
  eddShopDeliveries: number;
  eddCarrierDeliveries: number;
}

const SHOWN_FOR = new Set(["transit", "pickup", "undelivered", "exception"]);

export function estimateView(
  status: string,
  promise: PromiseFields | null | undefined,
  now = new Date(),
): DeliveryEstimate | null {
  if (!promise?.eddEarliestAt || !promise.eddLatestAt || !SHOWN_FOR.has(status)) return null;
  const earliest = new Date(promise.eddEarliestAt);
  const latest = new Date(promise.eddLatestAt);
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return {
    state: latest.getTime() < now.getTime() ? "late" : "expected",
    earliest: new Date(Math.max(earliest.getTime(), Math.min(startOfToday, latest.getTime()))).toISOString(),
    latest: latest.toISOString(),
    confidence: promise.eddConfidence ?? 0,
    source: (promise.eddSource as EstimateSource | null) ?? "trackingmore",
    shopDeliveries: promise.eddShopDeliveries,
    carrierDeliveries: promise.eddCarrierDeliveries,
  };
}

/** "Dec 3 – Dec 5" (or one date), in the reader's language, in UTC like the estimate. */
export function formatEstimateRange(
  estimate: Pick<DeliveryEstimate, "earliest" | "latest">,
  locale: string,
): string {
  const format = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" });
  const from = format.format(new Date(estimate.earliest));
  const to = format.format(new Date(estimate.latest));
  return from === to ? to : `${from} – ${to}`;
}

export const PROMISE_VIEW_SELECT = {
  eddEarliestAt: true,
  eddLatestAt: true,
  eddConfidence: true,
  eddSource: true,
  eddShopDeliveries: true,
  eddCarrierDeliveries: true,
  remoteArea: true,
} as const;
