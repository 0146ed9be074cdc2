import { intakeIsBusy } from "~/lib/intake-pressure.server";
import type { BackgroundJob } from "~/pipeline/background.server";
import { applyReceivedPushes } from "~/pipeline/push-apply/push.server";

/** Stores the statuses TrackingMore pushed (the webhook only verified and kept them). */
export function applyTrackingMorePushesJob(): BackgroundJob {
  return {
    name: "apply-trackingmore-pushes",
    // A round is up to 100 pushes; one that meets a burst of incoming pushes ends early.
    runOnce: () => applyReceivedPushes({ stopEarly: intakeIsBusy }),
    idleDelayMs: 250,
  };
}
