import { afterEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { setTrackingMoreClientTuning } from "~/trackingmore.server";
import { resetRateLimiters } from "~/trackingmore/rate-limiter";
import { dispatchPendingTrackings, setDispatchLeaseMs } from "../dispatch.server";
import { withPipelineEmulator } from "../../../../test/support/pipeline";

// The failures issue 10 found with two workers: a batch re-sent after its claim was taken over,
// and a lease shorter than the client's pause after a 429. Each test makes the first create
// call answer 429, so the sending worker waits in the rate limiter with its batch claimed.

const pipeline = withPipelineEmulator("claims");
const PAUSE_MS = 1_500;

async function pendingTrackings(shop: string, count: number, prefix: string) {
  const numbers = Array.from({ length: count }, (_, i) => `1Z${prefix}${String(i).padStart(10, "0")}`);
  for (const trackingNumber of numbers) {
    await prisma.tracking.create({ data: { shop, orderId: "1", trackingNumber, carrierCode: "ups" } });
  }
  return numbers;
}

/**
 * Starts `run` with the account's first create call answering 429 (the client then pauses the
 * account); returns once that 429 was answered, with the run still going.
 */
async function startWithOneRateLimit<T>(run: () => Promise<T>): Promise<{ finished: Promise<T> }> {
  const { emulator } = pipeline.current();
  setTrackingMoreClientTuning({
    timeoutMs: 2_000,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, rateLimitPauseMs: PAUSE_MS },
    rateLimits: { listPerSecond: 0, realtimePerSecond: 0, defaultPerSecond: 0 },
  });
  emulator.setFaults({ error429: 1, seed: 1 });
  const running = run();
  while (emulator.stats().injected["429"] === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  emulator.setFaults({});
  return { finished: running };
}

const createsSent = () =>
  pipeline.current().emulator.stats().createItemsSent[pipeline.current().apiKey] ?? {};

afterEach(() => {
  setDispatchLeaseMs();
  resetRateLimiters();
});

describe("dispatch claims", () => {
  it("keeps its claim through a rate-limit pause longer than the lease: a second worker takes nothing", async () => {
    const shop = await pipeline.newShop();
    const numbers = await pendingTrackings(shop, 10, "KEEP");
    pipeline.current().emulator.resetStats();
    setDispatchLeaseMs(300);

    const first = await startWithOneRateLimit(() => dispatchPendingTrackings());
    // Well past the lease (but inside the pause), another worker looks for work.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await dispatchPendingTrackings()).toBe(0);
    await first.finished;

    const sent = createsSent();
    expect(numbers.map((n) => sent[`ups/${n}`])).toEqual(numbers.map(() => 1));
    expect(await prisma.tracking.count({ where: { shop, syncState: "synced" } })).toBe(10);
  });

  it("never sends a batch whose claim was taken over while it waited (fencing)", async () => {
    const shop = await pipeline.newShop();
    const numbers = await pendingTrackings(shop, 5, "FENCE");
    pipeline.current().emulator.resetStats();
    setDispatchLeaseMs(300);

    const stale = await startWithOneRateLimit(() => dispatchPendingTrackings());
    // As if this worker had stalled past its lease and another had claimed the rows since.
    await prisma.tracking.updateMany({
      where: { shop },
      data: { leaseOwner: "another-worker", leaseUntil: new Date(Date.now() + 60_000) },
    });
    await stale.finished;

    // Only the 429'd attempt reached TrackingMore (refused before any work); nothing was created
    // and the other worker's claim is untouched.
    expect(Object.keys(createsSent())).toEqual([]);
    const rows = await prisma.tracking.findMany({ where: { shop } });
    expect(rows.map((r) => [r.trackingNumber, r.syncState, r.leaseOwner, r.attempts])).toEqual(
      expect.arrayContaining(numbers.map((n) => [n, "pending", "another-worker", 0])),
    );
  });

  it("asks TrackingMore what a batch whose answer was lost created, and sends only the rest", async () => {
    const shop = await pipeline.newShop();
    const numbers = await pendingTrackings(shop, 8, "LOST");
    const { emulator } = pipeline.current();
    emulator.resetStats();
    // The first batch create is carried out, then its answer lost.
    emulator.setFaults({ next: ["dropAfter"], endpoints: ["POST /trackings/batch"] });
    // Rounds as the job runs them (an earlier test's 429 pause may still hold the account).
    for (let round = 0; round < 100; round++) {
      await dispatchPendingTrackings({ now: new Date(Date.now() + round * 60_000) });
      if ((await prisma.tracking.count({ where: { shop, syncState: "synced" } })) === numbers.length) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(emulator.stats().injected.dropAfter).toBe(1);
    const sent = createsSent();
    expect(numbers.map((n) => sent[`ups/${n}`])).toEqual(numbers.map(() => 1));
    const rows = await prisma.tracking.findMany({ where: { shop } });
    expect(rows.every((r) => r.syncState === "synced" && r.trackingMoreId)).toBe(true);
  });
});
