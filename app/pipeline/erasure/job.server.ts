import { eraseAtTrackingMore } from "./shop-erasure.server";
import type { BackgroundJob } from "~/pipeline/background.server";

/** Clears redacted shops' customer data at TrackingMore (shop/redact queued it). */
export function eraseAtTrackingMoreJob(): BackgroundJob {
  return {
    name: "erase-at-trackingmore",
    runOnce: () => eraseAtTrackingMore(),
    idleDelayMs: 30_000,
  };
}
