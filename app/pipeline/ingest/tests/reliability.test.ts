import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { TrackingMoreClient, accountId } from "~/trackingmore";
import { startEmulator } from "../../../../devkit/emulator";
import { testProvider } from "../../../../test/support/databases";
import { trackingMoreRateGate } from "~/trackingmore.server";
import { dispatchPendingTrackings } from "~/pipeline/dispatch/dispatch.server";
import { ingestPendingDeliveries } from "~/pipeline/ingest/ingest.server";
import {
  deliver,
  installShop,
  localTrackings,
  withPipelineEmulator,
  trackingsAtTrackingMore,
} from "../../../../test/support/pipeline";
import { fulfillmentPayload } from "../../../../devkit/shopify";

// The promises of issue 4 under stress: whatever TrackingMore does (errors, timeouts, lost
// answers, quota) and whatever happens to our workers, every parcel ends up at TrackingMore
// exactly once.

const pipeline = withPipelineEmulator("reliable");

const newShop = () => pipeline.newShop();

/** Sends `count` deliveries, a fifth of them with three parcels; returns every number sent. */
async function deliverBurst(shop: string, count: number, prefix: string): Promise<string[]> {
  const numbers: string[] = [];
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const parcels = i % 5 === 0 ? 3 : 1;
      const mine = Array.from(
        { length: parcels },
        (_, p) => `1Z${prefix}${String(i * 10 + p).padStart(12, "0")}`,
      );
      numbers.push(...mine);
      return deliver("fulfillments/create", shop, fulfillmentPayload({ trackingNumbers: mine }));
    }),
  );
  return numbers;
}

/** Runs ingest and dispatch with time moving on, until every row of the shop is settled. */
async function settle(shop: string, start = new Date(), maxRounds = 200) {
  let now = start;
  for (let round = 0; round < maxRounds; round++) {
    await ingestPendingDeliveries({ now });
    await dispatchPendingTrackings({ now });
    const open = await prisma.tracking.count({
      where: { shop, syncState: { in: ["pending", "quota_paused"] } },
    });
    const inbox = await prisma.webhookDelivery.count({ where: { shop, processedAt: null } });
    if (open === 0 && inbox === 0) return now;
    now = new Date(now.getTime() + 11 * 60_000);
  }
  throw new Error("the shop's trackings did not settle");
}

async function expectExactlyOnce(shop: string, numbers: string[]) {
  const all = await trackingsAtTrackingMore(pipeline.current().client);
  const remote = all.filter((t) => numbers.includes(t.trackingNumber));
  const counts = new Map<string, number>();
  for (const t of remote) counts.set(t.trackingNumber, (counts.get(t.trackingNumber) ?? 0) + 1);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  expect(counts.size).toBe(numbers.length);
  const local = await localTrackings(shop);
  expect(local).toHaveLength(numbers.length);
  expect(local.filter((t) => t.syncState !== "synced")).toEqual([]);
}

describe("reliability", () => {
  it("a burst under 20% 5xx/429 and timeouts ends with every tracking created exactly once", async () => {
    const shop = await newShop();
    pipeline
      .current()
      .emulator.setFaults({ error500: 0.08, error503: 0.04, error429: 0.04, timeout: 0.04, seed: 7 });
    try {
      const numbers = await deliverBurst(shop, 60, "FLT");
      await settle(shop);
      expect(pipeline.current().emulator.stats().injected["500"]).toBeGreaterThan(0);
      pipeline.current().emulator.setFaults({});
      await expectExactlyOnce(shop, numbers);
    } finally {
      pipeline.current().emulator.setFaults({});
    }
  });

  it("answers lost after TrackingMore created the trackings are linked on retry, not doubled", async () => {
    const shop = await newShop();
    pipeline.current().emulator.setFaults({
      next: ["dropAfter", "dropAfter", "dropAfter"],
      endpoints: ["POST /trackings/batch"],
    });
    const numbers = await deliverBurst(shop, 10, "LOST");
    await settle(shop);
    await expectExactlyOnce(shop, numbers);
  });

  it("a dispatcher killed mid-batch loses and doubles nothing after a restart", async () => {
    const shop = await newShop();
    const numbers = await deliverBurst(shop, 30, "KILL");
    await ingestPendingDeliveries();
    // Slow answers give the kill a batch in flight.
    pipeline.current().emulator.setFaults({ latencyMs: 1_500, endpoints: ["POST /trackings/batch"] });
    const root = path.resolve(__dirname, "../../../..");
    // One process (not tsx's CLI, which forks a child a SIGKILL would leave running).
    const worker = spawn(process.execPath, ["--import", "tsx", "app/cli/worker.ts"], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: "silent" },
      stdio: "ignore",
    });
    try {
      const deadline = Date.now() + 15_000;
      while ((await prisma.tracking.count({ where: { shop, leaseOwner: { not: null } } })) === 0) {
        if (Date.now() > deadline) throw new Error("the worker never claimed a batch");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      // Let the batch reach TrackingMore, then kill the worker before it records the answer.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      worker.kill("SIGKILL");
      await new Promise((resolve) => worker.once("exit", resolve));
      pipeline.current().emulator.setFaults({});
    }
    expect(await prisma.tracking.count({ where: { shop, leaseOwner: { not: null } } })).toBeGreaterThan(0);
    // Restarted later: the dead worker's leases have run out.
    await settle(shop, new Date(Date.now() + 3 * 60_000));
    await expectExactlyOnce(shop, numbers);
  });

  it("quota exhaustion pauses the shop visibly, and a top-up ends with everything sent", async () => {
    const shop = await newShop();
    const quotaKey = `tm-quota-${Date.now()}`;
    pipeline.current().emulator.addAccount({ apiKey: quotaKey, email: "quota@example.com", quota: 5 });
    await installShop(shop, quotaKey);
    const numbers = await deliverBurst(shop, 12, "QTA");
    await ingestPendingDeliveries();
    const now = new Date();
    await dispatchPendingTrackings({ now });
    const paused = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(paused.dispatchPausedReason).toBe("quota_exhausted");
    const states = await prisma.tracking.groupBy({ by: ["syncState"], where: { shop }, _count: true });
    expect(Object.fromEntries(states.map((s) => [s.syncState, s._count]))).toMatchObject({ synced: 5 });
    expect((await localTrackings(shop)).find((t) => t.syncState === "quota_paused")?.lastError).toMatch(
      /quota/,
    );

    pipeline.current().emulator.setQuota(quotaKey, 1_000);
    await settle(shop, new Date(now.getTime() + 11 * 60_000));
    const quotaClient = new TrackingMoreClient({
      apiKey: quotaKey,
      baseUrl: pipeline.current().emulator.baseUrl,
      rateLimits: { listPerSecond: 0, realtimePerSecond: 0, defaultPerSecond: 0 },
    });
    const remote = (await trackingsAtTrackingMore(quotaClient)).map((t) => t.trackingNumber).sort();
    expect(remote).toEqual([...numbers].sort());
    expect(
      (await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).dispatchPausedReason,
    ).toBeNull();
  });

  it("balance insufficient (4019) pauses the shop like exhausted quota, and nothing needs attention", async () => {
    const shop = await newShop();
    const numbers = await deliverBurst(shop, 3, "BAL");
    await ingestPendingDeliveries();
    pipeline.current().emulator.setFaults({ next: ["4019"], endpoints: ["POST /trackings/batch"] });
    const now = new Date();
    try {
      await dispatchPendingTrackings({ now });
    } finally {
      pipeline.current().emulator.setFaults({});
    }
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).dispatchPausedReason).toBe(
      "quota_exhausted",
    );
    const local = await localTrackings(shop);
    expect(local.map((t) => t.syncState)).toEqual(numbers.map(() => "quota_paused"));

    // Paid up: the pause ends by itself, as it does for quota.
    await settle(shop, new Date(now.getTime() + 11 * 60_000));
    await expectExactlyOnce(shop, numbers);
  });

  it("claims nothing of a shop whose TrackingMore account is paused after a 429, and sends after", async () => {
    const shop = await newShop();
    const numbers = await deliverBurst(shop, 3, "PAUSE");
    await ingestPendingDeliveries();
    const batchCalls = () =>
      pipeline.current().emulator.stats().calls[pipeline.current().apiKey]?.["POST /trackings/batch"] ?? 0;
    const before = batchCalls();
    // As another worker's 429 would leave it: the account paused in the shared gate.
    await trackingMoreRateGate().pauseAccount(
      accountId(pipeline.current().apiKey, pipeline.current().emulator.baseUrl),
      500,
    );
    expect(await dispatchPendingTrackings()).toBe(0);
    expect(batchCalls()).toBe(before);
    expect((await localTrackings(shop)).map((t) => [t.syncState, t.leaseOwner])).toEqual(
      numbers.map(() => ["pending", null]),
    );

    await new Promise((resolve) => setTimeout(resolve, 600));
    await settle(shop);
    await expectExactlyOnce(shop, numbers);
  });

  it("concurrent dispatchers never send the same tracking twice", async () => {
    const shop = await newShop();
    const batchCalls = () =>
      pipeline.current().emulator.stats().calls[pipeline.current().apiKey]?.["POST /trackings/batch"] ?? 0;
    const numbers = Array.from({ length: 200 }, (_, i) => `1ZPAR${String(i).padStart(12, "0")}`);
    for (let i = 0; i < numbers.length; i += 5) {
      await deliver(
        "fulfillments/create",
        shop,
        fulfillmentPayload({ trackingNumbers: numbers.slice(i, i + 5) }),
      );
    }
    await ingestPendingDeliveries({ limit: 1_000 });
    const before = batchCalls();
    const now = new Date();
    await Promise.all([1, 2, 3].map(() => dispatchPendingTrackings({ now })));
    await dispatchPendingTrackings({ now });
    // 200 rows in claims of 40: five full batches, however the workers interleaved.
    expect(batchCalls() - before).toBe(5);
    await expectExactlyOnce(shop, numbers);
  });
});

// Several workers are a PostgreSQL deployment (SQLite runs one process).
if (testProvider() === "postgresql") {
  describe("worker processes on PostgreSQL", () => {
    it("two workers drain a backlog of one account without a single 429", async () => {
      // TrackingMore's limits on (batch create is 5/s here), and nothing else of this file.
      const apiKey = `tm-workers-${Date.now()}`;
      const emulator = await startEmulator({
        accounts: [{ apiKey, email: "workers@example.com", quota: 100_000 }],
      });
      const shop = `workers-${Date.now()}.myshopify.com`;
      const workers: ReturnType<typeof spawn>[] = [];
      try {
        await installShop(shop, apiKey);
        const count = 800;
        await prisma.tracking.createMany({
          data: Array.from({ length: count }, (_, i) => ({
            shop,
            orderId: String(1000 + i),
            trackingNumber: `1ZWRK${String(i).padStart(12, "0")}`,
            carrierCode: "ups",
          })),
        });
        const root = path.resolve(__dirname, "../../../..");
        for (let n = 0; n < 2; n++) {
          workers.push(
            spawn(process.execPath, ["--import", "tsx", "app/cli/worker.ts"], {
              cwd: root,
              env: { ...process.env, TRACKINGMORE_BASE_URL: emulator.baseUrl, LOG_LEVEL: "silent" },
              stdio: "ignore",
            }),
          );
        }
        const deadline = Date.now() + 90_000;
        const synced = () => prisma.tracking.count({ where: { shop, syncState: "synced" } });
        // A 429 would pause the account for two minutes: stop at the first.
        while ((await synced()) < count && emulator.stats().rateLimited === 0) {
          if (Date.now() > deadline) throw new Error("the workers did not drain the backlog");
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const stats = emulator.stats();
        expect(stats.rateLimited).toBe(0);
        expect(await synced()).toBe(count);
        // 40 a call, none sent twice.
        expect(stats.calls[apiKey]["POST /trackings/batch"]).toBe(count / 40);
      } finally {
        for (const worker of workers) worker.kill("SIGKILL");
        await emulator.close();
      }
    }, 120_000);
  });
}
