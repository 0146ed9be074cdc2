import type { BackgroundJob } from "~/pipeline/background.server";
import { reconcileNextShop } from "~/pipeline/reconcile/reconcile.server";

/** Polls TrackingMore for status changes, one due shop per round. */
export function reconcileStatusesJob(): BackgroundJob {
  return { name: "reconcile-statuses", runOnce: () => reconcileNextShop(), idleDelayMs: 30_000 };
}
