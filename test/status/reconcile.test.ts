import { afterEach, beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { backgroundJobs } from "~/jobs/index.server";
import { claimShopDueForSweep, reconcileShopStatuses } from "~/pipeline/reconcile/reconcile.server";
import { TrackingMoreClient, resetRateLimiters, type Clock } from "~/trackingmore";
import { startEmulator, type EmulatorHandle } from "../../devkit/emulator";
import { HOUR, seedShop } from "./helpers";

const START = Date.UTC(2026, 2, 1, 8);
const apiKey = "tm-reconcile-key";
const email = "owner@reconcile.example";
const COUNT = 1000;

let emulator: EmulatorHandle;

beforeEach(async () => {
  resetRateLimiters();
  emulator = await startEmulator({
    accounts: [{ apiKey, email }],
    rateLimits: false,
    clock: { frozen: true, startAt: START },
  });
});
afterEach(async () => {
  await emulator.close();
});

/** The client waits on the emulator's clock: a 1 s rate-limit pause costs no real second. */
function emulatorClock(): Clock {
  return {
    now: () => emulator.clock.now(),
    sleep: async (ms) => {
      emulator.clock.advance(ms);
    },
  };
}

async function seedThousand(shop: string) {
  const numbers = Array.from({ length: COUNT }, (_, i) => `RC${String(i).padStart(8, "0")}`);
  const setupClient = new TrackingMoreClient({
    apiKey,
    baseUrl: emulator.baseUrl,
    rateLimits: { defaultPerSecond: 0 },
  });
  const created = await setupClient.batchCreateAll(
    numbers.map((trackingNumber) => ({ trackingNumber, carrierCode: "dhl" })),
  );
  expect(created.added).toBe(COUNT);
  // The set-up client paced itself on the real clock; the clients under test use the emulator's.
  resetRateLimiters();
  await prisma.tracking.createMany({
    data: numbers.map((trackingNumber, i) => ({
      shop,
      orderId: `order-${i}`,
      trackingNumber,
      carrierCode: "dhl",
      trackingMoreId: `tm-${trackingNumber}`,
      syncState: "synced",
    })),
  });
  return numbers;
}

describe("status reconciliation by polling", () => {
  it("brings 1,000 trackings up to date within the list rate limit, in the fewest list calls", async () => {
    const shop = "reconcile.myshopify.com";
    await seedShop(shop, { apiKey });
    await seedThousand(shop);
    // Pushes are off (no webhook URL); every parcel's story is now over.
    emulator.clock.advance(160 * HOUR);
    emulator.setRateLimits({ listPerSecond: 1 });
    emulator.resetStats();
    const client = new TrackingMoreClient({ apiKey, baseUrl: emulator.baseUrl, clock: emulatorClock() });
    const now = () => new Date(emulator.clock.now());
    const pageSize = 300;

    const first = await reconcileShopStatuses(shop, { client, pageSize, now });

    expect(first.listCalls).toBe(Math.ceil(COUNT / pageSize));
    const stats = emulator.stats();
    expect(stats.calls[apiKey]["GET /trackings/get"]).toBe(Math.ceil(COUNT / pageSize));
    expect(stats.rateLimited).toBe(0);
    expect(first.applied).toBe(COUNT);

    // Every row says what TrackingMore says.
    const remote = await new TrackingMoreClient({
      apiKey,
      baseUrl: emulator.baseUrl,
      clock: emulatorClock(),
    }).getStatusCounts();
    const local = await prisma.tracking.groupBy({ by: ["status"], where: { shop }, _count: true });
    const localCounts = Object.fromEntries(local.map((g) => [g.status, g._count]));
    for (const [status, count] of Object.entries(remote)) expect(localCounts[status] ?? 0).toBe(count);
    expect(localCounts.pending).toBeUndefined();
    expect(localCounts.delivered).toBeGreaterThan(500);

    // The next sweep asks only for what changed since the cursor: one call, few trackings, and
    // parcels already delivered here are not applied again.
    emulator.resetStats();
    emulator.clock.advance(HOUR);
    const second = await reconcileShopStatuses(shop, { client, pageSize, now });
    expect(second.listCalls).toBe(1);
    expect(second.seen).toBeLessThan(COUNT / 10);
    expect(second.applied).toBe(0);
    expect(emulator.stats().rateLimited).toBe(0);
  }, 120_000);

  it("stops polling a shop whose parcels are all delivered or expired, and sweeps a live one when due", async () => {
    const shop = "reconcile-due.myshopify.com";
    await seedShop(shop, { apiKey });
    const base = { shop, orderId: "o", carrierCode: "dhl", syncState: "synced" };
    await prisma.tracking.createMany({
      data: [
        { ...base, trackingNumber: "DONE0001", status: "delivered" },
        { ...base, trackingNumber: "DONE0002", status: "expired" },
      ],
    });
    // Only this shop is installed for this test.
    await prisma.shop.updateMany({ where: { domain: { not: shop } }, data: { uninstalledAt: new Date() } });
    const now = new Date();
    expect(await claimShopDueForSweep(now)).toBeNull();

    await prisma.tracking.create({ data: { ...base, trackingNumber: "LIVE0001", status: "transit" } });
    expect(await claimShopDueForSweep(now)).toBe(shop);
    // Claimed: not due again until the interval passed (15 min without push).
    expect(await claimShopDueForSweep(now)).toBeNull();
    expect(await claimShopDueForSweep(new Date(now.getTime() + 16 * 60_000))).toBe(shop);
  });

  it("runs as a background job with the shop's own client, and is idle when no shop is due", async () => {
    const shop = "reconcile-job.myshopify.com";
    await prisma.shop.updateMany({ data: { uninstalledAt: new Date() } });
    await seedShop(shop, { apiKey });
    const previousBaseUrl = process.env.TRACKINGMORE_BASE_URL;
    process.env.TRACKINGMORE_BASE_URL = emulator.baseUrl;
    try {
      const client = new TrackingMoreClient({ apiKey, baseUrl: emulator.baseUrl });
      await client.createTracking({ trackingNumber: "DLV7700001", carrierCode: "dhl" });
      const row = await prisma.tracking.create({
        data: { shop, orderId: "o", trackingNumber: "DLV7700001", carrierCode: "dhl", syncState: "synced" },
      });
      emulator.clock.advance(160 * HOUR);
      expect(backgroundJobs().map((j) => j.name)).toEqual(
        expect.arrayContaining(["apply-trackingmore-pushes", "reconcile-statuses", "write-back-events"]),
      );
      const job = backgroundJobs().find((j) => j.name === "reconcile-statuses")!;

      expect(await job.runOnce()).toBe(2); // one snapshot applied, plus the sweep itself
      expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("delivered");
      expect(await job.runOnce()).toBe(0);
    } finally {
      process.env.TRACKINGMORE_BASE_URL = previousBaseUrl;
    }
  });
});
