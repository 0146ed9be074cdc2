import type { BackgroundJob } from "./background.server";
import { reconcileNextShop } from "~/models/status/reconcile.server";

/** Polls TrackingMore for status changes, one due shop per round. */
export function reconcileStatusesJob(): BackgroundJob {
  return { name: "reconcile-statuses", runOnce: () => reconcileNextShop(), idleDelayMs: 30_000 };
}
