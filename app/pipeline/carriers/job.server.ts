import type { BackgroundJob } from "~/pipeline/background.server";
import { refreshNextCarrierList } from "~/models/carriers/carrier-list.server";
import { selfCorrectCarriers } from "./self-correct.server";

/** Refreshes each account's TrackingMore carrier list once a day, one due shop per round. */
export function refreshCarrierListsJob(): BackgroundJob {
  return { name: "refresh-carrier-lists", runOnce: () => refreshNextCarrierList(), idleDelayMs: 60_000 };
}

/** Moves trackings TrackingMore cannot find (or refused) to the next detected carrier. */
export function selfCorrectCarriersJob(): BackgroundJob {
  return { name: "self-correct-carriers", runOnce: () => selfCorrectCarriers(), idleDelayMs: 10 * 60_000 };
}
