import type { BackgroundJob } from "./background.server";
import { selfCorrectCarriers } from "~/models/carriers/self-correct.server";

/** Moves trackings TrackingMore cannot find (or refused) to the next detected carrier. */
export function selfCorrectCarriersJob(): BackgroundJob {
  return { name: "self-correct-carriers", runOnce: () => selfCorrectCarriers(), idleDelayMs: 10 * 60_000 };
}
