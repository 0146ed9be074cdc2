import type { BackgroundJob } from "./background.server";
import { refreshNextCarrierList } from "~/models/carriers/carrier-list.server";

/** Refreshes each account's TrackingMore carrier list once a day, one due shop per round. */
export function refreshCarrierListsJob(): BackgroundJob {
  return { name: "refresh-carrier-lists", runOnce: () => refreshNextCarrierList(), idleDelayMs: 60_000 };
}
