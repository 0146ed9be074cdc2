import { pruneRetainedRows } from "./retention.server";
import type { BackgroundJob } from "~/pipeline/background.server";

/** Deletes rows past their retention (processed inbox rows, old pushes, replay-guard entries). */
export function pruneRetainedRowsJob(): BackgroundJob {
  return {
    name: "prune-retained-rows",
    runOnce: async () => {
      await pruneRetainedRows();
      // One pass deletes all that is due, so the loop always waits its idle delay after it.
      return 0;
    },
    idleDelayMs: 3_600_000,
  };
}
