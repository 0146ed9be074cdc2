import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { backgroundJobs } from "~/jobs/index.server";
import {
  MAX_CARRIER_SWITCHES,
  carrierSwitchesOf,
  selfCorrectShop,
} from "~/pipeline/carriers/self-correct.server";
import { updateShopSettings } from "~/models/settings.server";
import { reconcileShopStatuses } from "~/pipeline/reconcile/reconcile.server";
import { deliver, drainPipeline, withPipelineEmulator } from "../support/pipeline";
import { fulfillmentPayload } from "../../devkit/shopify";

// On the emulator's clock: a JJD number is DHL Paket's (`dhl-germany`); under any other carrier
// the emulator never finds it, and its detection offers dhl, dhl-germany, deutsche-post.

const pipeline = withPipelineEmulator("self-correct");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let numberSequence = 100;
const jjd = () => `JJD${String(++numberSequence).padStart(18, "0")}`;

/** Advances the emulator's clock and returns the app's matching "now". */
function later(ms: number, start: number): Date {
  pipeline.current().emulator.clock.advance(ms);
  return new Date(start + ms);
}

async function trackingOf(shop: string, trackingNumber: string) {
  return prisma.tracking.findFirstOrThrow({ where: { shop, trackingNumber } });
}

async function sweep(shop: string, now: Date) {
  await reconcileShopStatuses(shop, { now: () => now });
}

const detectCalls = () =>
  pipeline.current().emulator.stats().calls[pipeline.current().apiKey]?.["POST /carriers/detect"] ?? 0;

describe("self-correcting carriers", () => {
  it("switches a tracking not found for 3 days to the next detected carrier, which finds it", async () => {
    const shop = await pipeline.newShop();
    const number = jjd();
    // A US shop's "DHL" is DHL Express: the wrong carrier for this DHL Paket number.
    const payload = fulfillmentPayload({ trackingCompany: "DHL", trackingNumbers: [number] });
    await deliver("fulfillments/create", shop, payload);
    await drainPipeline();
    const start = Date.now();
    let now = later(2 * HOUR, start);
    await sweep(shop, now);
    expect(await trackingOf(shop, number)).toMatchObject({ carrierCode: "dhl", status: "notfound" });

    now = later(2 * DAY, start);
    expect((await selfCorrectShop(shop, { now })).switched).toBe(0);
    now = new Date(start + 3 * DAY + HOUR);
    pipeline.current().emulator.clock.advance(DAY);
    const round = await selfCorrectShop(shop, { now });
    expect(round).toMatchObject({ checked: 1, switched: 1, quotaExhausted: false });
    const switched = await trackingOf(shop, number);
    expect(switched).toMatchObject({
      carrierCode: "dhl-germany",
      carrierSource: "detected",
      carrierSwitches: 1,
    });
    expect(await carrierSwitchesOf(shop, switched.id)).toEqual([
      { fromCarrier: "dhl", toCarrier: "dhl-germany", reason: "notfound", at: now },
    ]);

    // TrackingMore now tracks it under DHL Paket, and finds it.
    now = later(2 * HOUR, now.getTime());
    await sweep(shop, now);
    const found = await trackingOf(shop, number);
    expect(found.carrierCode).toBe("dhl-germany");
    expect(["transit", "pickup", "delivered", "undelivered", "exception"]).toContain(found.status);
    const atTm = await pipeline.current().client.getTracking("dhl-germany", number);
    expect(atTm.carrierCode).toBe("dhl-germany");
    // Shopify repeating the fulfillment with the same company does not undo the correction.
    await deliver("fulfillments/update", shop, { ...payload, updated_at: "2026-11-21T10:00:00-05:00" });
    await drainPipeline();
    expect((await trackingOf(shop, number)).carrierCode).toBe("dhl-germany");
  });

  it("re-sends a tracking whose carrier TrackingMore refused, and switches at most twice", async () => {
    const shop = await pipeline.newShop();
    const number = jjd();
    // The account's carrier list names a carrier TrackingMore no longer accepts.
    await prisma.carrierListCache.create({
      data: {
        shop,
        carriers: JSON.stringify([{ code: "dhl-paket-legacy", name: "DHL Paket Legacy" }]),
        fetchedAt: new Date(),
      },
    });
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({ trackingCompany: "DHL Paket Legacy", trackingNumbers: [number] }),
    );
    await drainPipeline();
    const refused = await trackingOf(shop, number);
    expect(refused).toMatchObject({ carrierCode: "dhl-paket-legacy", syncState: "pending" });
    expect(refused.deadAt).not.toBeNull();
    expect(refused.lastError).toContain("(4015)");

    const start = Date.now();
    let now = new Date(start + HOUR);
    expect(await selfCorrectShop(shop, { now })).toMatchObject({ switched: 1 });
    expect(await trackingOf(shop, number)).toMatchObject({ carrierCode: "dhl", syncState: "pending" });
    await drainPipeline({ now });
    expect(await trackingOf(shop, number)).toMatchObject({ carrierCode: "dhl", syncState: "synced" });

    now = later(4 * DAY, start);
    await sweep(shop, now);
    expect((await trackingOf(shop, number)).status).toBe("notfound");
    expect(await selfCorrectShop(shop, { now })).toMatchObject({ switched: 1 });
    const twice = await trackingOf(shop, number);
    expect(twice).toMatchObject({ carrierCode: "dhl-germany", carrierSwitches: MAX_CARRIER_SWITCHES });
    expect(
      (await carrierSwitchesOf(shop, twice.id)).map((s) => [s.fromCarrier, s.toCarrier, s.reason]),
    ).toEqual([
      ["dhl-paket-legacy", "dhl", "refused"],
      ["dhl", "dhl-germany", "notfound"],
    ]);
    // Even if it were still not found, a third switch never happens.
    await prisma.tracking.update({ where: { id: twice.id }, data: { status: "notfound" } });
    expect(await selfCorrectShop(shop, { now: new Date(now.getTime() + 10 * DAY) })).toMatchObject({
      checked: 0,
      switched: 0,
    });
  });

  it("stops detection when quota is exhausted, losing nothing, and resumes when it returns", async () => {
    const shop = await pipeline.newShop();
    const number = jjd();
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({ trackingCompany: "DHL", trackingNumbers: [number] }),
    );
    await drainPipeline();
    await prisma.carrierDetectionCache.deleteMany();
    const start = Date.now();
    let now = later(4 * DAY, start);
    await sweep(shop, now);
    const { emulator, apiKey } = pipeline.current();
    emulator.setQuota(apiKey, 0);
    try {
      const before = detectCalls();
      expect(await selfCorrectShop(shop, { now })).toMatchObject({ switched: 0, quotaExhausted: true });
      expect(detectCalls()).toBe(before + 1);
      const kept = await trackingOf(shop, number);
      expect(kept).toMatchObject({
        carrierCode: "dhl",
        syncState: "synced",
        status: "notfound",
        carrierSwitches: 0,
      });
      // Still due: the failed check did not count.
      expect(kept.carrierCheckedAt).toBeNull();
    } finally {
      emulator.setQuota(apiKey, 100_000);
    }
    now = new Date(now.getTime() + HOUR);
    expect(await selfCorrectShop(shop, { now })).toMatchObject({ switched: 1 });
    expect((await trackingOf(shop, number)).carrierCode).toBe("dhl-germany");
  });

  it("waits the shop's own recheck period", async () => {
    const shop = await pipeline.newShop();
    await updateShopSettings(shop, { carrierRecheckDays: 1 });
    const number = jjd();
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({ trackingCompany: "DHL", trackingNumbers: [number] }),
    );
    await drainPipeline();
    const start = Date.now();
    let now = later(20 * HOUR, start);
    await sweep(shop, now);
    expect(await selfCorrectShop(shop, { now })).toMatchObject({ checked: 0 });
    now = later(5 * HOUR, now.getTime());
    expect(await selfCorrectShop(shop, { now })).toMatchObject({ switched: 1 });
  });

  it("never overrides a carrier the merchant chose, and runs as a background job", async () => {
    const shop = await pipeline.newShop();
    const number = jjd();
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({ trackingCompany: "DHL", trackingNumbers: [number] }),
    );
    await drainPipeline();
    await prisma.tracking.updateMany({
      where: { shop, trackingNumber: number },
      data: { carrierSource: "merchant" },
    });
    const start = Date.now();
    const now = later(5 * DAY, start);
    await sweep(shop, now);
    expect((await trackingOf(shop, number)).status).toBe("notfound");
    expect(await selfCorrectShop(shop, { now })).toMatchObject({ checked: 0, switched: 0 });
    expect(await trackingOf(shop, number)).toMatchObject({ carrierCode: "dhl", carrierSource: "merchant" });
    expect(backgroundJobs().map((j) => j.name)).toContain("self-correct-carriers");
  });
});
