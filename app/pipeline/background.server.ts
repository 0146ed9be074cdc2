import { INTAKE_BUSY_WITHIN_MS, msSinceIntake } from "~/lib/intake-pressure.server";
import { logger } from "~/logger.server";

// Background work (dispatching trackings to TrackingMore, reconciling statuses, writing events
// back to Shopify, backfills) runs as named loops. The web process runs them by default (the
// embedded, one-process set-up); `npm run worker` runs them in processes of their own.

export interface YieldToIntake {
  /** Jobs wait while a delivery arrived this recently… */
  quietAfterMs: number;
  /** …but for no longer than this before taking a round anyway. */
  atMostMs: number;
}

export const DEFAULT_YIELD_TO_INTAKE: YieldToIntake = {
  quietAfterMs: INTAKE_BUSY_WITHIN_MS,
  atMostMs: 2000,
};

/** How long stop() waits for rounds in progress to end. */
const STOP_GRACE_MS = 10_000;

export interface BackgroundJob {
  name: string;
  /** Does one round of work; returns how many items it handled (0 = idle). */
  runOnce(): Promise<number>;
  /** Pause between rounds when the last one was idle. */
  idleDelayMs: number;
  /**
   * Whether a round can wait for a webhook burst to pass; by default it can. The ingest job
   * says no once deliveries have waited too long, so sustained load cannot starve it.
   */
  canYieldToIntake?(): Promise<boolean>;
}

export interface BackgroundWork {
  stop(): Promise<void>;
}

export function startJobs(
  jobs: BackgroundJob[],
  yieldToIntake: YieldToIntake = DEFAULT_YIELD_TO_INTAKE,
): BackgroundWork {
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

  const canYield = async (job: BackgroundJob) => {
    try {
      return (await job.canYieldToIntake?.()) ?? true;
    } catch (error) {
      log.warn({ err: error, job: job.name }, "could not tell whether the job may wait; running it");
      return false;
    }
  };

  const loops = jobs.map(async (job) => {
    while (!stopped) {
      // Deliveries arriving: give their answers the event loop, but never for long, so the
      // pipeline keeps moving through a long burst.
      const busy = () => msSinceIntake() < yieldToIntake.quietAfterMs;
      if (busy() && (await canYield(job))) {
        const yieldingSince = performance.now();
        while (!stopped && busy() && performance.now() - yieldingSince < yieldToIntake.atMostMs)
          await sleep(yieldToIntake.quietAfterMs);
      }
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
      // A round may be waiting on TrackingMore (a retry pause lasts minutes). Leaving it is
      // safe: every step is durable and leased, so another process takes it up later.
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.all(loops).then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), STOP_GRACE_MS))),
      ]);
      clearTimeout(timer);
      if (!finished) log.warn({ graceMs: STOP_GRACE_MS }, "stopping without waiting for rounds in progress");
    },
  };
}
