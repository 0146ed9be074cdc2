import type { BackgroundJob } from "~/pipeline/background.server";
import { dispatchPendingTrackings } from "./dispatch.server";

/** Pending Tracking rows → TrackingMore. */
export function dispatchTrackingsJob(): BackgroundJob {
  return { name: "dispatch-trackings", idleDelayMs: 500, runOnce: () => dispatchPendingTrackings() };
}
