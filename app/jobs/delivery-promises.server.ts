import type { BackgroundJob } from "./background.server";
import { syncDeliveryPromises } from "~/models/delivery-promise/sync.server";
import { refreshTransitTimes } from "~/models/delivery-promise/transit-times.server";

/** Derives each changed tracking's delivery promise and estimate, and the analytics rollup. */
export function deliveryPromisesJob(): BackgroundJob {
  return { name: "delivery-promises", runOnce: () => syncDeliveryPromises(), idleDelayMs: 10_000 };
}

/** Asks TrackingMore for the transit times of new routes, and weekly for known ones. */
export function transitTimesJob(): BackgroundJob {
  return { name: "transit-times", runOnce: () => refreshTransitTimes(), idleDelayMs: 60_000 };
}
