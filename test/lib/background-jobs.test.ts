import { describe, expect, it } from "vitest";
import { startJobs, type BackgroundJob } from "~/pipeline/background.server";
import { noteIntake } from "~/lib/intake-pressure.server";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A job that records when its rounds ran, relative to `since`. */
function recordingJob(since: number, canYield?: () => Promise<boolean>) {
  const rounds: number[] = [];
  const job: BackgroundJob = {
    name: "recording",
    idleDelayMs: 20,
    runOnce: async () => {
      rounds.push(performance.now() - since);
      return 0;
    },
    canYieldToIntake: canYield,
  };
  return { job, rounds };
}

/** Webhooks arriving every 10 ms for `ms`. */
async function burst(ms: number) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    noteIntake();
    await sleep(10);
  }
}

describe("background jobs during a webhook burst", () => {
  it("wait while deliveries arrive, but never longer than the limit", async () => {
    const start = performance.now();
    noteIntake();
    const { job, rounds } = recordingJob(start);
    const work = startJobs([job], { quietAfterMs: 30, atMostMs: 200 });
    await burst(800);
    await work.stop();
    // No round at once (a delivery had just arrived); then about one per 200 ms of burst,
    // where an idle job left alone would have taken one every 20 ms.
    const duringBurst = rounds.filter((at) => at < 800);
    expect(rounds[0]).toBeGreaterThanOrEqual(150);
    expect(duringBurst.length).toBeGreaterThanOrEqual(2);
    expect(duringBurst.length).toBeLessThanOrEqual(5);
  });

  it("do not wait when the job says it cannot", async () => {
    const start = performance.now();
    noteIntake();
    const { job, rounds } = recordingJob(start, async () => false);
    const work = startJobs([job], { quietAfterMs: 30, atMostMs: 10_000 });
    await burst(200);
    await work.stop();
    expect(rounds[0]).toBeLessThan(100);
    expect(rounds.length).toBeGreaterThanOrEqual(4);
  });
});

describe("stopping background jobs", () => {
  it("does not wait for ever on a round that hangs", async () => {
    let entered = false;
    const hanging: BackgroundJob = {
      name: "hanging",
      idleDelayMs: 10,
      runOnce: () => {
        entered = true;
        return new Promise<number>(() => {});
      },
    };
    await sleep(100); // past any earlier test's burst
    const work = startJobs([hanging]);
    await sleep(20);
    expect(entered).toBe(true);
    const started = performance.now();
    await work.stop();
    expect(performance.now() - started).toBeGreaterThanOrEqual(9_000);
  }, 20_000);
});
