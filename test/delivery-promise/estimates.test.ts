import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { countLateAndStalled, dailyDigest } from "~/models/delivery-promise/attention.server";
import { updateShopSettings } from "~/models/settings.server";
import { syncDeliveryPromises } from "~/pipeline/delivery-promises/sync.server";
import { refreshTransitTimes } from "~/pipeline/delivery-promises/transit-times.server";
import { estimateView } from "~/models/delivery-promise/view";
import { listOrderTrackings } from "~/models/order-trackings.server";
import { findParcelsForCustomer } from "~/models/storefront-tracking.server";
import { renderTrackingPage } from "~/routes/proxy/components/tracking-page.server";
import { listTrackings, parseTrackingListQuery } from "~/models/admin/trackings-list.server";
import { reconcileShopStatuses } from "~/pipeline/reconcile/reconcile.server";
import { fulfillmentPayload } from "../../devkit/shopify";
import { deliver, drainPipeline, withPipelineEmulator } from "../support/pipeline";

// Delivery estimates end to end on the emulator's clock: fulfillments become trackings at the
// emulator, the clock moves parcels along, the status poll brings their checkpoints back, and
// the delivery-promise and transit-time jobs run round by round as the worker runs them.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Two days ago: estimates made on the emulator clock still lie ahead of the real one.
const START = Math.floor(Date.now() / HOUR) * HOUR - 2 * DAY;
const pipeline = withPipelineEmulator("edd", { clock: { frozen: true, startAt: START } });

const emulatorNow = () => new Date(pipeline.current().emulator.clock.now());

async function advance(shop: string, ms: number) {
  pipeline.current().emulator.clock.advance(ms);
  await reconcileShopStatuses(shop, { now: emulatorNow });
  await syncPromises();
}

async function syncPromises() {
  // Rows written in this millisecond must sort after the job's cursor.
  await new Promise((resolve) => setTimeout(resolve, 5));
  while ((await syncDeliveryPromises({ settleMs: 0, now: emulatorNow() })) > 0);
}

let sequence = 0;
/** A UPS parcel to Great Britain ("DLV": the emulator delivers it, after 4 to 6 days). */
async function ship(shop: string, marker = "DLV") {
  const number = `1ZEDD${marker}${String(++sequence).padStart(8, "0")}`;
  const response = await deliver(
    "fulfillments/create",
    shop,
    fulfillmentPayload({ trackingNumbers: [number] }),
  );
  expect(response.status).toBe(200);
  await drainPipeline();
  return number;
}

const row = (shop: string, trackingNumber: string) =>
  prisma.tracking.findFirstOrThrow({ where: { shop, trackingNumber }, include: { promise: true } });

const spanDays = (p: { eddEarliestAt: Date | null; eddLatestAt: Date | null }) =>
  (p.eddLatestAt!.getTime() - p.eddEarliestAt!.getTime()) / DAY;

describe("estimated delivery", () => {
  it("appears when a parcel enters transit and narrows as the shop's own deliveries accumulate", async () => {
    const shop = await pipeline.newShop();
    const first = await ship(shop);
    await syncPromises();
    // Not yet with the carrier: no estimate.
    expect((await row(shop, first)).estimatedDeliveryAt).toBeNull();

    await advance(shop, 9 * HOUR);
    const inTransit = await row(shop, first);
    expect(inTransit.status).toBe("transit");
    expect(inTransit.promise).toMatchObject({
      carrierCode: "ups",
      originCountry: "US",
      destinationCountry: "GB",
    });
    // The route is new: TrackingMore's transit times are asked for by the next job round.
    expect(inTransit.estimatedDeliveryAt).toBeNull();
    const stats = pipeline.current().emulator.stats();
    await refreshTransitTimes(emulatorNow());
    expect(
      pipeline.current().emulator.stats().calls[pipeline.current().apiKey]["POST /trackings/costtime"],
    ).toBe((stats.calls[pipeline.current().apiKey]?.["POST /trackings/costtime"] ?? 0) + 1);

    const estimated = await row(shop, first);
    expect(estimated.promise).toMatchObject({
      eddSource: "trackingmore",
      eddShopDeliveries: 0,
      eddConfidence: 80,
    });
    expect(estimated.promise!.eddCarrierDeliveries).toBeGreaterThan(0);
    expect(estimated.estimatedDeliveryAt).toEqual(estimated.promise!.eddLatestAt);
    const carrierOnly = spanDays(estimated.promise!);
    expect(carrierOnly).toBeGreaterThan(7);
    // Asked once: the route's figures are cached for a week.
    await refreshTransitTimes(emulatorNow());
    expect(
      pipeline.current().emulator.stats().calls[pipeline.current().apiKey]["POST /trackings/costtime"],
    ).toBe((stats.calls[pipeline.current().apiKey]?.["POST /trackings/costtime"] ?? 0) + 1);

    // Twelve more parcels on the route, all delivered in 4 to 6 days.
    for (let i = 0; i < 12; i++) await ship(shop);
    // Held by customs on the way (never delivered): estimated before the deliveries came in.
    const held = await ship(shop, "EXC");
    await advance(shop, 9 * HOUR);
    expect((await row(shop, held)).promise).toMatchObject({
      eddSource: "trackingmore",
      eddShopDeliveries: 0,
    });
    await advance(shop, 8 * DAY);
    expect(await prisma.deliveryPromise.count({ where: { shop, deliveredAt: { not: null } } })).toBe(13);

    // Parcels still on the way are estimated again from the new deliveries.
    expect((await row(shop, held)).promise).toMatchObject({ eddSource: "blended", eddShopDeliveries: 13 });

    const next = await ship(shop);
    await advance(shop, 9 * HOUR);
    const blended = (await row(shop, next)).promise!;
    expect(blended).toMatchObject({ eddSource: "blended", eddShopDeliveries: 13 });
    expect(spanDays(blended)).toBeLessThan(carrierOnly);
    // The shop's own deliveries took at most 6 days: the upper bound moved towards them.
    const highDays = (p: { eddLatestAt: Date | null; shippedAt: Date }) =>
      (p.eddLatestAt!.getTime() - p.shippedAt.getTime()) / DAY;
    expect(highDays(blended)).toBeLessThan(highDays(estimated.promise!));
  });

  it("says 'later than expected' once the upper bound has passed, in the late view, the order block and the digest", async () => {
    const shop = await pipeline.newShop();
    const number = await ship(shop);
    await advance(shop, 9 * HOUR);
    await refreshTransitTimes(emulatorNow());
    const tracking = await row(shop, number);
    const latest = tracking.promise!.eddLatestAt!;

    const before = new Date(latest.getTime() - HOUR);
    const after = new Date(latest.getTime() + HOUR);
    expect(estimateView("transit", tracking.promise, before)?.state).toBe("expected");
    expect(estimateView("transit", tracking.promise, after)?.state).toBe("late");
    expect(estimateView("delivered", tracking.promise, after)).toBeNull();
    // The storefront page: the range with its confidence while it holds (in the shopper's
    // language), "later than expected" after.
    const [parcel] = await findParcelsForCustomer(shop, {
      orderNumber: tracking.orderName!,
      email: "ada@example.com",
    });
    expect(parcel.estimate?.state).toBe("expected");
    const page = (estimate: typeof parcel.estimate, locale: "en" | "zh-CN") =>
      renderTrackingPage({
        locale,
        formAction: "/apps/trackbridge",
        state: { kind: "found", orderNumber: "1001", parcels: [{ ...parcel, estimate }] },
      });
    expect(page(parcel.estimate, "en")).toContain("80% of parcels on this route arrive in this window");
    expect(page(parcel.estimate, "zh-CN")).toContain("此线路 80% 的包裹在此时间段内送达");
    expect(page({ ...parcel.estimate!, state: "late" }, "en")).toContain("Later than expected");
    expect((await countLateAndStalled(shop, before)).late).toBe(0);
    expect((await countLateAndStalled(shop, after)).late).toBe(1);

    // The list's late view and the digest read the same rows (at the real clock: the emulator's
    // runs behind it here, so move the estimate into the past).
    await prisma.tracking.update({
      where: { id: tracking.id },
      data: { estimatedDeliveryAt: new Date(Date.now() - HOUR) },
    });
    await prisma.deliveryPromise.update({
      where: { trackingId: tracking.id },
      data: { eddLatestAt: new Date(Date.now() - HOUR), eddEarliestAt: new Date(Date.now() - 3 * DAY) },
    });
    const late = await listTrackings(shop, parseTrackingListQuery(new URLSearchParams("view=late")));
    expect(late.rows.map((r) => r.trackingNumber)).toEqual([number]);
    const [block] = await listOrderTrackings(shop, tracking.orderId, "en");
    expect(block.estimateLabel).toBe("Later than expected");
    const [zh] = await listOrderTrackings(shop, tracking.orderId, "zh-CN");
    expect(zh.estimateLabel).toBe("晚于预期");
    const digest = await dailyDigest(shop);
    expect(digest.flatMap((d) => d.parcels).map((p) => [p.trackingNumber, p.reason])).toEqual([
      [number, "late"],
    ]);
  });

  it("counts a parcel stalled after the shop's number of days without carrier news, as the list's view does", async () => {
    const shop = await pipeline.newShop();
    // On its way after two days (the emulator delivers "DLV" parcels after 4 to 6).
    const number = await ship(shop);
    await advance(shop, 2 * DAY);
    const tracking = await row(shop, number);
    expect(["transit", "pickup"]).toContain(tracking.status);
    const lastEvent = tracking.lastEventAt!.getTime();
    const stalledInList = async (now: Date, days: number) =>
      (
        await listTrackings(shop, {
          ...parseTrackingListQuery(new URLSearchParams("view=stalled"), days),
          now,
        })
      ).rows.map((r) => r.trackingNumber);

    // The admin's setting (default 7 days) decides, for the dashboard and the list alike.
    const sixDays = new Date(lastEvent + 6 * DAY);
    const sevenDays = new Date(lastEvent + 7 * DAY + HOUR);
    expect((await countLateAndStalled(shop, sixDays)).stalled).toBe(0);
    expect(await stalledInList(sixDays, 7)).toEqual([]);
    expect(await countLateAndStalled(shop, sevenDays)).toMatchObject({ stalled: 1, stalledAfterDays: 7 });
    expect(await stalledInList(sevenDays, 7)).toEqual([number]);

    await updateShopSettings(shop, { stalledAfterDays: 10 });
    expect(await countLateAndStalled(shop, sevenDays)).toMatchObject({ stalled: 0, stalledAfterDays: 10 });
    expect((await countLateAndStalled(shop, new Date(lastEvent + 10 * DAY + HOUR))).stalled).toBe(1);
  });
});
