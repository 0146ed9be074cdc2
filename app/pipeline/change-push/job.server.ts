import type { BackgroundJob } from "~/pipeline/background.server";
import { pushTrackingChanges } from "./push-changes.server";

export function pushTrackingChangesJob(): BackgroundJob {
  return {
    name: "push-tracking-changes",
    idleDelayMs: 2_000,
    async runOnce() {
      const result = await pushTrackingChanges();
      return result.synced + result.failed.length;
    },
  };
}
