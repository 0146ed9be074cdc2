import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { createFormatters } from "~/i18n/format";
import {
  airCargoView,
  isAirWaybill,
  lookUpAirWaybill,
  airCargoEnabledWrites,
  withStationTimeLabels,
} from "~/models/delivery-promise/air-cargo.server";
import { withPipelineEmulator } from "../support/pipeline";

// Air waybills: off by default, the 20-quota cost shown before a lookup, and the flights and
// stations TrackingMore's /trackings/aircargo (the emulator) answers stored for the parcel page.

const pipeline = withPipelineEmulator("awb");

const airCalls = () =>
  pipeline.current().emulator.stats().calls[pipeline.current().apiKey]?.["POST /trackings/aircargo"] ?? 0;
const quota = async () => (await pipeline.current().client.getUserInfo()).remainingQuota;

async function seed(shop: string, trackingNumber: string, trackingCompany: string, carrierCode = "") {
  return prisma.tracking.create({
    data: { shop, orderId: "1", trackingNumber, trackingCompany, carrierCode, syncState: "needs_carrier" },
  });
}

describe("air waybills", () => {
  it("tells an air waybill with an air-cargo company from other numbers", () => {
    const awb = { trackingNumber: "172-28891936", carrierCode: "", trackingCompany: "Cargolux" };
    expect(isAirWaybill(awb)).toBe(true);
    expect(isAirWaybill({ ...awb, trackingNumber: "17228891936" })).toBe(true);
    expect(isAirWaybill({ ...awb, trackingNumber: "1Z999AA10123456784" })).toBe(false);
    expect(isAirWaybill({ ...awb, carrierCode: "usps", trackingCompany: "USPS" })).toBe(false);
  });

  it("is off by default, costs nothing until asked, then stores flights and stations for 20 quota", async () => {
    const shop = await pipeline.newShop();
    const tracking = await seed(shop, "172-28891936", "China Cargo Airlines");
    const calls = airCalls();

    expect(await airCargoView(shop, tracking.id)).toEqual({
      eligible: true,
      enabled: false,
      quotaCost: 20,
      track: null,
    });
    await expect(lookUpAirWaybill(shop, tracking.id)).rejects.toMatchObject({
      fieldErrors: { airCargo: "air_cargo_off" },
    });
    expect(airCalls()).toBe(calls);

    await prisma.$transaction(airCargoEnabledWrites(shop, true));
    const before = await quota();
    await lookUpAirWaybill(shop, tracking.id);
    expect(airCalls()).toBe(calls + 1);
    expect(await quota()).toBe(before - 20);
    const view = await airCargoView(shop, tracking.id);
    expect(view.track).toMatchObject({ origin: "PVG", destination: "LAX" });
    expect(view.track!.events.map((e) => e.station)).toEqual(["PVG", "PVG"]);
    expect(view.track!.events[1].flightNumber).toMatch(/^CK\d+$/);

    // Another shop sees nothing of it, and cannot spend this shop's quota on it.
    const other = await pipeline.newShop();
    expect((await airCargoView(other, tracking.id)).eligible).toBe(false);
    await expect(lookUpAirWaybill(other, tracking.id)).rejects.toThrow(/No tracking/);
  });

  it("writes each station's time as the airline gave it, in the merchant's language, whatever the server's zone", () => {
    const view = {
      eligible: true,
      enabled: true,
      quotaCost: 20,
      track: {
        origin: "PVG",
        destination: "LAX",
        fetchedAt: "2026-11-30T09:00:00.000Z",
        events: [
          {
            plannedAt: "2026-11-30 08:00",
            actualAt: null,
            event: "DEP",
            station: "PVG",
            flightNumber: "CK221",
          },
          {
            plannedAt: null,
            actualAt: "2026-11-30T08:00:00Z",
            event: "RCS",
            station: "PVG",
            flightNumber: null,
          },
        ],
      },
    };
    const zh = withStationTimeLabels(view, createFormatters("zh-CN", "UTC").dateTime).track!.events;
    expect(zh.map((e) => [e.plannedLabel, e.actualLabel])).toEqual([
      ["2026年11月30日 08:00", ""],
      ["", "2026年11月30日 08:00"],
    ]);
    const en = withStationTimeLabels(view, createFormatters("en", "UTC").dateTime).track!.events;
    expect(en[0].plannedLabel).toBe("Nov 30, 2026, 8:00 AM");
    expect(
      withStationTimeLabels({ ...view, track: null }, createFormatters("en", "UTC").dateTime).track,
    ).toBeNull();
  });

  it("refuses a number that is not an air waybill without calling TrackingMore", async () => {
    const shop = await pipeline.newShop();
    await prisma.$transaction(airCargoEnabledWrites(shop, true));
    const tracking = await seed(shop, "9400100000000000000001", "USPS", "usps");
    const calls = airCalls();
    await expect(lookUpAirWaybill(shop, tracking.id)).rejects.toMatchObject({
      fieldErrors: { airCargo: "not_air_waybill" },
    });
    expect(airCalls()).toBe(calls);
  });
});
