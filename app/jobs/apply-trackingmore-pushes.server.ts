import type { BackgroundJob } from "./background.server";
import { applyReceivedPushes } from "~/models/status/push.server";

/** Stores the statuses TrackingMore pushed (the webhook only verified and kept them). */
export function applyTrackingMorePushesJob(): BackgroundJob {
  return { name: "apply-trackingmore-pushes", runOnce: () => applyReceivedPushes(), idleDelayMs: 250 };
}
