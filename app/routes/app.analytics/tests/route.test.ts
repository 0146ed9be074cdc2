import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import type { CarrierAnalytics } from "~/models/delivery-promise/analytics.server";
import { syncDeliveryPromises } from "~/pipeline/delivery-promises/sync.server";
import { installShop } from "../../../../test/support/admin-fixtures";
import { callRoute } from "../../../../test/support/routes";
import { embeddedFetchRequest } from "../../../../test/support/shopify";
import { loader } from "../route";

// The carrier performance page against a small data set whose figures are worked out by hand
// below. Parcels are seeded as rows in transit, derived (so the in-transit ones get an
// estimate from TrackingMore's cached figures), then delivered and derived again.

const shop = "analytics-shop.myshopify.com";
const otherShop = "analytics-other.myshopify.com";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.now();

const load = async (query = "", asShop = shop) =>
  (
    (await (await callRoute(loader, embeddedFetchRequest(`/app/analytics${query}`, asShop))).json()) as {
      analytics: Omit<CarrierAnalytics, "carriers" | "routes"> & {
        carriers: (CarrierAnalytics["carriers"][number] & { carrierName: string })[];
        routes: (CarrierAnalytics["routes"][number] & { carrierName: string })[];
      };
    }
  ).analytics;

let n = 0;
interface Parcel {
  shop?: string;
  carrier: string;
  from: string;
  to: string;
  createdDaysAgo: number;
  /** Days from the first scan to delivery; null: not delivered. */
  deliveredAfter: number | null;
  failedAttempt?: boolean;
  exception?: boolean;
}

const checkpoint = (at: number, status: string) => ({
  time: new Date(at).toISOString(),
  description: status,
  location: null,
  status,
  substatus: null,
  leg: "destination",
});

async function seed(parcels: Parcel[]) {
  const rows = [];
  for (const p of parcels) {
    const createdAt = now - p.createdDaysAgo * DAY;
    const shipped = createdAt + HOUR;
    const row = await prisma.tracking.create({
      data: {
        shop: p.shop ?? shop,
        orderId: String(++n),
        trackingNumber: `AN${String(n).padStart(8, "0")}`,
        carrierCode: p.carrier,
        originCountry: p.from,
        destinationCode: p.to,
        status: "transit",
        syncState: "synced",
        createdAt: new Date(createdAt),
        checkpoints: JSON.stringify([checkpoint(createdAt, "notfound"), checkpoint(shipped, "transit")]),
      },
    });
    rows.push({ row, p, shipped });
  }
  await syncAll();
  for (const { row, p, shipped } of rows) {
    const later = [checkpoint(createdAt(row), "notfound"), checkpoint(shipped, "transit")];
    if (p.failedAttempt) later.push(checkpoint(shipped + DAY, "undelivered"));
    if (p.exception) later.push(checkpoint(shipped + DAY, "exception"));
    const status = p.deliveredAfter !== null ? "delivered" : p.exception ? "exception" : "transit";
    // Delivered an hour short of whole days: rounded up, that is `deliveredAfter` days.
    if (p.deliveredAfter !== null)
      later.push(checkpoint(shipped + p.deliveredAfter * DAY - HOUR, "delivered"));
    await prisma.tracking.update({
      where: { id: row.id },
      data: { status, checkpoints: JSON.stringify(later) },
    });
  }
  await syncAll();
}

const createdAt = (row: { createdAt: Date }) => row.createdAt.getTime();

async function syncAll() {
  // A new millisecond, so rows written just now sort after the cursor.
  await new Promise((resolve) => setTimeout(resolve, 5));
  while ((await syncDeliveryPromises({ settleMs: 0 })) > 0);
}

beforeEach(async () => {
  await prisma.tracking.deleteMany();
  await prisma.carrierDailyStats.deleteMany();
  await prisma.carrierDailyDays.deleteMany();
  await prisma.transitTimeStats.deleteMany();
  await prisma.jobCursor.deleteMany();
  // TrackingMore says every UPS parcel from CN to US arrives within a week: the estimate is
  // 0-7 days (the 10th and 90th percentiles of 0-7 are 0.7 and 6.3, rounded out).
  await prisma.transitTimeStats.create({
    data: {
      carrierCode: "ups",
      originCountry: "CN",
      destinationCountry: "US",
      requestedBy: shop,
      total: 1000,
      delivered: 950,
      ranges: JSON.stringify([100, 0, 0, 0, 0]),
      fetchedAt: new Date(),
      nextFetchAt: new Date(now + 7 * DAY),
    },
  });
});

describe("/app/analytics", () => {
  it("shows median, p90, on-time share and problem rates per carrier and route, as worked out by hand", async () => {
    await installShop(shop);
    await installShop(otherShop);
    await seed([
      { carrier: "ups", from: "CN", to: "US", createdDaysAgo: 20, deliveredAfter: 3 },
      { carrier: "ups", from: "CN", to: "US", createdDaysAgo: 18, deliveredAfter: 5 },
      // Later than the estimate's 7 days.
      { carrier: "ups", from: "CN", to: "US", createdDaysAgo: 15, deliveredAfter: 9 },
      { carrier: "ups", from: "CN", to: "US", createdDaysAgo: 12, deliveredAfter: null, exception: true },
      { carrier: "ups", from: "CN", to: "US", createdDaysAgo: 10, deliveredAfter: 4, failedAttempt: true },
      // A route TrackingMore has no figures for and the shop no history: no estimate.
      { carrier: "dhl", from: "DE", to: "FR", createdDaysAgo: 9, deliveredAfter: 2 },
      { carrier: "dhl", from: "DE", to: "FR", createdDaysAgo: 1, deliveredAfter: null },
      // Outside the last 30 days.
      { carrier: "ups", from: "CN", to: "US", createdDaysAgo: 45, deliveredAfter: 20 },
      // Another shop's parcels never count.
      { shop: otherShop, carrier: "ups", from: "CN", to: "US", createdDaysAgo: 5, deliveredAfter: 1 },
    ]);

    const a = await load();
    expect(a.period).toBe(30);
    // UPS: 5 parcels; delivered in 3, 5, 9 and 4 days → sorted 3 4 5 9: the median is the 2nd
    // (ceil(0.5·4)), 4; the p90 the 4th (ceil(0.9·4)), 9. Within the 7-day estimate: 3 of 4.
    // One exception and one failed attempt in 5 parcels: 20 % each.
    expect(a.carriers.find((c) => c.carrierCode === "ups")).toEqual({
      carrierCode: "ups",
      carrierName: "UPS",
      parcels: 5,
      delivered: 4,
      medianDays: 4,
      p90Days: 9,
      withinEstimate: 0.75,
      withEstimate: 4,
      exceptionRate: 0.2,
      failedAttemptRate: 0.2,
    });
    // DHL: 2 parcels, one delivered in 2 days, none with an estimate.
    expect(a.carriers.find((c) => c.carrierCode === "dhl")).toEqual({
      carrierCode: "dhl",
      carrierName: "DHL",
      parcels: 2,
      delivered: 1,
      medianDays: 2,
      p90Days: 2,
      withinEstimate: null,
      withEstimate: 0,
      exceptionRate: 0,
      failedAttemptRate: 0,
    });
    expect(
      a.routes.map((r) => `${r.carrierName} ${r.originCountry}→${r.destinationCountry} ${r.parcels}`),
    ).toEqual(["UPS CN→US 5", "DHL DE→FR 2"]);
    expect(a.total).toMatchObject({ parcels: 7, delivered: 5, medianDays: 4, p90Days: 9 });

    // Over 90 days the 45-day-old parcel (20 days) joins: 3 4 5 9 20 → median 5, p90 20.
    const quarter = await load("?period=90");
    expect(quarter.carriers.find((c) => c.carrierCode === "ups")).toMatchObject({
      parcels: 6,
      delivered: 5,
      medianDays: 5,
      p90Days: 20,
      withinEstimate: 0.6,
    });
  });

  it("forgets a deleted tracking and rebuilds its day", async () => {
    await installShop(shop);
    await seed([
      { carrier: "ups", from: "CN", to: "US", createdDaysAgo: 3, deliveredAfter: 2 },
      { carrier: "ups", from: "CN", to: "US", createdDaysAgo: 3, deliveredAfter: 6 },
    ]);
    expect((await load()).total).toMatchObject({ parcels: 2, medianDays: 2, p90Days: 6 });
    const slow = await prisma.tracking.findFirstOrThrow({
      where: { shop },
      orderBy: { trackingNumber: "desc" },
    });
    await prisma.tracking.update({ where: { id: slow.id }, data: { syncState: "deleted" } });
    await syncAll();
    expect((await load()).total).toMatchObject({ parcels: 1, medianDays: 2, p90Days: 2 });
  });

  it("shows an empty page for a shop without parcels and ignores an unknown period", async () => {
    await installShop(otherShop);
    const a = await load("?period=12345", otherShop);
    expect(a.period).toBe(30);
    expect(a.carriers).toEqual([]);
    expect(a.total.medianDays).toBeNull();
  });
});
