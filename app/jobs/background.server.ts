import { msSinceIntake } from "~/lib/intake-pressure.server";
import { logger } from "~/logger.server";

// Background work (dispatching trackings to TrackingMore, reconciling statuses, writing events
// back to Shopify, backfills) runs as named loops. The web process runs them by default (the
// embedded, one-process set-up); `npm run worker` runs them in processes of their own.

/** Jobs wait while a delivery arrived this recently… */
const QUIET_AFTER_INTAKE_MS = 50;
/** …but for no longer than this before taking a round anyway. */
const MAX_YIELD_MS = 250;

export interface BackgroundJob {
  name: string;
  /** Does one round of work; returns how many items it handled (0 = idle). */
  runOnce(): Promise<number>;
  /** Pause between rounds when the last one was idle. */
  idleDelayMs: number;
}

export interface BackgroundWork {
  stop(): Promise<void>;
}

export function startJobs(jobs: BackgroundJob[]): BackgroundWork {
  let stopped = false;
  const wakeups = new Set<() => void>();
  const log = logger.child({ component: "background" });

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeups.delete(done);
        resolve();
      }
      wakeups.add(done);
    });

  const loops = jobs.map(async (job) => {
    while (!stopped) {
      // Deliveries arriving: give their answers the event loop, but never more than
      // MAX_YIELD_MS in a row, so the pipeline keeps moving through a long burst.
      const yieldingSince = performance.now();
      while (
        !stopped &&
        msSinceIntake() < QUIET_AFTER_INTAKE_MS &&
        performance.now() - yieldingSince < MAX_YIELD_MS
      )
        await sleep(QUIET_AFTER_INTAKE_MS);
      if (stopped) break;
      let handled = 0;
      try {
        handled = await job.runOnce();
      } catch (error) {
        log.error({ err: error, job: job.name }, "background job round failed");
      }
      if (stopped) break;
      // Busy: go again at once. Idle or failed: wait, but wake early on stop.
      if (handled === 0) await sleep(job.idleDelayMs);
    }
  });

  return {
    async stop() {
      stopped = true;
      for (const wake of [...wakeups]) wake();
      await Promise.all(loops);
    },
  };
}
