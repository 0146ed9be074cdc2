import type { BackgroundJob } from "~/pipeline/background.server";
import { syncDeliveryPromises } from "~/pipeline/delivery-promises/sync.server";
import { refreshTransitTimes } from "~/pipeline/delivery-promises/transit-times.server";
import { checkRemoteAreas } from "~/pipeline/delivery-promises/remote-areas.server";

/** Derives each changed tracking's delivery promise and estimate, and the analytics rollup. */
export function deliveryPromisesJob(): BackgroundJob {
  return { name: "delivery-promises", runOnce: () => syncDeliveryPromises(), idleDelayMs: 10_000 };
}

/** Asks TrackingMore whether new UPS/DHL/FedEx/TNT parcels go to a remote delivery area. */
export function remoteAreasJob(): BackgroundJob {
  return { name: "remote-areas", runOnce: () => checkRemoteAreas(), idleDelayMs: 30_000 };
}

/** Asks TrackingMore for the transit times of new routes, and weekly for known ones. */
export function transitTimesJob(): BackgroundJob {
  return { name: "transit-times", runOnce: () => refreshTransitTimes(), idleDelayMs: 60_000 };
}
