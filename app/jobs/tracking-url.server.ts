import { runTrackingUrlStep } from "~/models/tracking-url/tracking-url.server";
import { unauthenticated } from "~/shopify.server";
import type { BackgroundJob } from "./background.server";

/** Sets the tracking page as the link of parcels Shopify cannot link itself (opt-in). */
export function trackingUrlJob(): BackgroundJob {
  return {
    name: "tracking-url",
    idleDelayMs: 5_000,
    runOnce: () => runTrackingUrlStep(async (shop) => (await unauthenticated.admin(shop)).admin),
  };
}
