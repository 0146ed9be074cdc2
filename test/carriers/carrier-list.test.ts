import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { backgroundJobs } from "~/jobs/index.server";
import { loadCarrierCatalog } from "~/models/carriers/carriers.server";
import {
  CARRIER_LIST_MAX_AGE_MS,
  CARRIER_LIST_RETRY_MS,
  loadLiveCarriers,
  refreshCarrierList,
  refreshNextCarrierList,
} from "~/models/carriers/carrier-list.server";
import { deliver, drainPipeline, localTrackings, withPipelineEmulator } from "../support/pipeline";
import { fulfillmentPayload } from "../../devkit/shopify";

const pipeline = withPipelineEmulator("carrier-list");
const HOUR = 3_600_000;

describe("the account's live carrier list", () => {
  it("is fetched daily per shop by a background job, one due shop per round", async () => {
    const shop = await pipeline.newShop();
    await pipeline.newShop(false); // no key: nothing to fetch
    const job = backgroundJobs().find((j) => j.name === "refresh-carrier-lists");
    expect(job).toBeDefined();
    const now = new Date();
    expect(await refreshNextCarrierList(now)).toBe(1);
    expect(await refreshNextCarrierList(now)).toBe(0);
    const codes = (await loadLiveCarriers(shop))?.map((c) => c.code) ?? [];
    expect(codes).toEqual(expect.arrayContaining(["amazon", "ups", "dhl-germany"]));
    const calls = () =>
      pipeline.current().emulator.stats().calls[pipeline.current().apiKey]?.["GET /carriers"] ?? 0;
    const before = calls();
    expect(await refreshNextCarrierList(new Date(now.getTime() + CARRIER_LIST_MAX_AGE_MS - HOUR))).toBe(0);
    expect(await refreshNextCarrierList(new Date(now.getTime() + CARRIER_LIST_MAX_AGE_MS))).toBe(1);
    expect(calls()).toBe(before + 1);
  });

  it("maps carriers added since the snapshot, with their names", async () => {
    const shop = await pipeline.newShop();
    await prisma.shop.update({ where: { domain: shop }, data: { countryCode: "US" } });
    // Before the list is known, "Amazon Logistics" has no code TrackingMore would accept: detection.
    expect((await loadCarrierCatalog(shop)).has("amazon")).toBe(false);
    expect(await refreshCarrierList(shop)).toBe("refreshed");
    const catalog = await loadCarrierCatalog(shop);
    expect(catalog.name("amazon")).toBe("Amazon Logistics");
    expect(catalog.name("postnord-no")).toBe("PostNord Norway");

    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({ trackingCompany: "Amazon Logistics", trackingNumbers: ["TBA000111222333"] }),
    );
    // Not in any table: the live list's exact name.
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({ trackingCompany: "PostNord Norway", trackingNumbers: ["70123456789NO"] }),
    );
    await drainPipeline();
    const rows = await localTrackings(shop);
    expect(rows.map((r) => [r.trackingNumber, r.carrierCode, r.carrierSource, r.syncState])).toEqual([
      ["70123456789NO", "postnord-no", "carrier_list", "synced"],
      ["TBA000111222333", "amazon", "shopify_table", "synced"],
    ]);
  });

  it("survives an outage: the last good list stays, the error is recorded, and it retries later", async () => {
    const shop = await pipeline.newShop();
    const t0 = new Date();
    expect(await refreshCarrierList(shop, { now: t0 })).toBe("refreshed");
    const { emulator } = pipeline.current();
    emulator.setFaults({ error503: 1, endpoints: ["GET /carriers"] });
    try {
      const later = new Date(t0.getTime() + CARRIER_LIST_MAX_AGE_MS);
      expect(await refreshCarrierList(shop, { now: later })).toBe("failed");
      const cache = await prisma.carrierListCache.findUniqueOrThrow({ where: { shop } });
      expect(cache.fetchedAt).toEqual(t0);
      expect(cache.lastError).toMatch(/503/);
      expect((await loadCarrierCatalog(shop)).has("amazon")).toBe(true);
      // Not hammered while it is down, but tried again after the pause.
      const calls = () => emulator.stats().calls[pipeline.current().apiKey]?.["GET /carriers"] ?? 0;
      await prisma.carrierListCache.updateMany({
        where: { shop: { not: shop } },
        data: { fetchedAt: later },
      });
      const before = calls();
      expect(await refreshNextCarrierList(new Date(later.getTime() + CARRIER_LIST_RETRY_MS / 2))).toBe(0);
      expect(calls()).toBe(before);
    } finally {
      emulator.setFaults({});
    }
    const recovered = new Date(t0.getTime() + CARRIER_LIST_MAX_AGE_MS + CARRIER_LIST_RETRY_MS);
    expect(await refreshNextCarrierList(recovered)).toBe(1);
    const cache = await prisma.carrierListCache.findUniqueOrThrow({ where: { shop } });
    expect(cache.fetchedAt).toEqual(recovered);
    expect(cache.lastError).toBeNull();
  });
});
