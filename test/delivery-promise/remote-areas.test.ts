import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { checkRemoteAreas, resetRemoteAreaPauses } from "~/pipeline/delivery-promises/remote-areas.server";
import { syncDeliveryPromises } from "~/pipeline/delivery-promises/sync.server";
import { getTrackingDetail } from "~/models/admin/tracking-detail.server";
import { listTrackings, parseTrackingListQuery } from "~/models/admin/trackings-list.server";
import { ADA, fulfillmentPayload } from "../../devkit/shopify";
import { deliver, drainPipeline, withPipelineEmulator } from "../support/pipeline";

// The remote-area flag: new UPS/DHL/FedEx/TNT parcels with a postcode are asked about in
// batches, and the flag matches what TrackingMore (the emulator) says of each postcode.

const pipeline = withPipelineEmulator("remote");
beforeEach(() => resetRemoteAreaPauses());

let sequence = 0;
async function ship(shop: string, company: string, zip: string | null) {
  const number = `1ZRMT${String(++sequence).padStart(10, "0")}`;
  const customer = { ...ADA, countryCode: "GB", zip: zip ?? "" };
  const response = await deliver(
    "fulfillments/create",
    shop,
    fulfillmentPayload({ trackingNumbers: [number], trackingCompany: company, customer }),
  );
  expect(response.status).toBe(200);
  return number;
}

async function syncPromises() {
  await new Promise((resolve) => setTimeout(resolve, 5));
  while ((await syncDeliveryPromises({ settleMs: 0 })) > 0);
}

const remoteCalls = () =>
  pipeline.current().emulator.stats().calls[pipeline.current().apiKey]?.["POST /trackings/remote"] ?? 0;

describe("remote delivery areas", () => {
  it("flags the parcels TrackingMore calls remote, 40 to a call, and only for its four carriers", async () => {
    const shop = await pipeline.newShop();
    const postcodes = Array.from({ length: 12 }, (_, i) => `EC${i + 1} ${i}AB`);
    const numbers = [];
    for (const zip of postcodes) numbers.push(await ship(shop, "UPS", zip));
    const noPostcode = await ship(shop, "DHL Express", null);
    const postal = await ship(shop, "USPS", "EC1 0AB");
    await drainPipeline();
    await syncPromises();

    // What TrackingMore says of each postcode, asked directly.
    const truth = await pipeline
      .current()
      .client.checkRemoteAreas(postcodes.map((postcode) => ({ country: "GB", postcode, company: "ups" })));
    const remotePostcodes = new Set(truth.remote.map((r) => r.cityOrPostcode));
    expect(remotePostcodes.size).toBeGreaterThan(0);
    expect(remotePostcodes.size).toBeLessThan(postcodes.length);

    const before = remoteCalls();
    expect(await checkRemoteAreas()).toBe(12);
    expect(remoteCalls()).toBe(before + 1);
    expect(await checkRemoteAreas()).toBe(0);

    for (const [i, number] of numbers.entries()) {
      const t = await prisma.tracking.findFirstOrThrow({
        where: { shop, trackingNumber: number },
        include: { promise: true },
      });
      expect(t.promise!.remoteArea, postcodes[i]).toBe(remotePostcodes.has(postcodes[i]));
      const detail = await getTrackingDetail(shop, t.id);
      expect(detail.remoteArea).toBe(remotePostcodes.has(postcodes[i]));
    }
    for (const number of [noPostcode, postal]) {
      const t = await prisma.tracking.findFirstOrThrow({
        where: { shop, trackingNumber: number },
        include: { promise: true },
      });
      expect(t.promise!.remoteCheckedAt).toBeNull();
    }
    const list = await listTrackings(shop, parseTrackingListQuery(new URLSearchParams("limit=100")));
    expect(list.rows.filter((r) => r.promise?.remoteArea).length).toBe(remotePostcodes.size);
  });

  it("waits without quota and leaves the parcels to ask about later", async () => {
    const shop = await pipeline.newShop();
    const number = await ship(shop, "FedEx", "SW1A 1AA");
    await drainPipeline();
    await syncPromises();
    pipeline.current().emulator.setQuota(pipeline.current().apiKey, 0);
    try {
      expect(await checkRemoteAreas()).toBe(0);
      const t = await prisma.tracking.findFirstOrThrow({
        where: { shop, trackingNumber: number },
        include: { promise: true },
      });
      expect(t.promise).toMatchObject({ remoteArea: null, remoteCheckedAt: null });
      // The shop is paused: the next round does not spend another call on it.
      const calls = remoteCalls();
      expect(await checkRemoteAreas()).toBe(0);
      expect(remoteCalls()).toBe(calls);
    } finally {
      pipeline.current().emulator.setQuota(pipeline.current().apiKey, 100_000);
    }
    resetRemoteAreaPauses();
    expect(await checkRemoteAreas()).toBeGreaterThanOrEqual(1);
  });
});
