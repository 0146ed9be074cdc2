import { ingestPendingDeliveries } from "~/models/fulfillments/ingest.server";
import { dispatchPendingTrackings, hasDispatchBacklog } from "~/models/dispatch/dispatcher.server";
import type { BackgroundJob } from "./background.server";

/** Recorded Shopify deliveries → Fulfillment and Tracking rows. */
export function ingestDeliveriesJob(): BackgroundJob {
  return {
    name: "ingest-deliveries",
    idleDelayMs: 200,
    runOnce: () => ingestPendingDeliveries(),
    // During a burst, ingest only as far ahead of the dispatcher as it needs.
    canYieldToIntake: () => hasDispatchBacklog(),
  };
}

/** Pending Tracking rows → TrackingMore. */
export function dispatchTrackingsJob(): BackgroundJob {
  return { name: "dispatch-trackings", idleDelayMs: 500, runOnce: () => dispatchPendingTrackings() };
}
