import prisma from "~/db/client.server";
import { NotFoundError, ValidationError } from "~/lib/errors.server";
import { TrackingMoreError } from "~/trackingmore";
import { trackingMoreClientForShop, type SettingsWrite } from "~/models/settings.server";

// Air waybills: a number shaped like 172-28891936 sent with an airline or air-cargo company is
// tracked flight by flight with TrackingMore's /trackings/aircargo. A lookup costs 20 quota, so
// it is off until the merchant turns it on in Settings, and each lookup is the merchant's click
// with the cost written on the button.

export const AIR_WAYBILL = /^\d{3}[ -]?\d{7,8}$/;
export const AIR_CARGO_QUOTA_COST = 20;
const AIR_COMPANY = /cargo|air ?(line|ways|freight)?\b|awb/i;

export interface AirCargoEvent {
  plannedAt: string | null;
  actualAt: string | null;
  event: string | null;
  station: string | null;
  flightNumber: string | null;
}

export interface AirCargoView {
  /** The number is an air waybill with an air-cargo company (or no carrier). */
  eligible: boolean;
  enabled: boolean;
  quotaCost: number;
  track: {
    origin: string | null;
    destination: string | null;
    events: AirCargoEvent[];
    fetchedAt: string;
  } | null;
}

/** An event with its times written the merchant's way (see withStationTimeLabels). */
export type LabelledAirCargoEvent = AirCargoEvent & { plannedLabel: string; actualLabel: string };
export type LabelledAirCargoView = Omit<AirCargoView, "track"> & {
  track: (Omit<NonNullable<AirCargoView["track"]>, "events"> & { events: LabelledAirCargoEvent[] }) | null;
};

/**
 * Airlines give each station's local time without a zone ("2026-11-30 08:00"): written as given,
 * by `formatWallTime` (a formatter in UTC, where the wall time is kept), on the server so that
 * the browser's time zone never changes it.
 */
export function withStationTimeLabels(
  view: AirCargoView,
  formatWallTime: (value: Date) => string,
): LabelledAirCargoView {
  const label = (value: string | null) =>
    value ? formatWallTime(new Date(`${value.replace(" ", "T")}${/[zZ+]/.test(value) ? "" : "Z"}`)) : "";
  return {
    ...view,
    track: view.track && {
      ...view.track,
      events: view.track.events.map((e) => ({
        ...e,
        plannedLabel: label(e.plannedAt),
        actualLabel: label(e.actualAt),
      })),
    },
  };
}

export function isAirWaybill(t: {
  trackingNumber: string;
  carrierCode: string;
  trackingCompany: string | null;
}) {
  return (
    AIR_WAYBILL.test(t.trackingNumber.trim()) &&
    (t.carrierCode === "" || AIR_COMPANY.test(t.trackingCompany ?? ""))
  );
}

export async function airCargoEnabled(shop: string): Promise<boolean> {
  const row = await prisma.shopSettings.findUnique({ where: { shop }, select: { airCargoEnabled: true } });
  return row?.airCargoEnabled ?? false;
}

/** Turns air waybill lookups on or off: writes for the settings form's batch transaction. */
export function airCargoEnabledWrites(shop: string, enabled: boolean): SettingsWrite[] {
  return [
    prisma.shopSettings.upsert({
      where: { shop },
      create: { shop, airCargoEnabled: enabled },
      update: { airCargoEnabled: enabled },
    }),
  ];
}

export async function airCargoView(shop: string, trackingId: string): Promise<AirCargoView> {
  const tracking = await prisma.tracking.findFirst({
    where: { id: trackingId, shop },
    select: { id: true, trackingNumber: true, carrierCode: true, trackingCompany: true },
  });
  const eligible = tracking !== null && isAirWaybill(tracking);
  if (!eligible) return { eligible, enabled: false, quotaCost: AIR_CARGO_QUOTA_COST, track: null };
  const [enabled, stored] = await Promise.all([
    airCargoEnabled(shop),
    prisma.airCargoTrack.findFirst({ where: { trackingId: tracking.id, shop } }),
  ]);
  return {
    eligible,
    enabled,
    quotaCost: AIR_CARGO_QUOTA_COST,
    track: stored
      ? {
          origin: stored.origin,
          destination: stored.destination,
          events: JSON.parse(stored.events) as AirCargoEvent[],
          fetchedAt: stored.fetchedAt.toISOString(),
        }
      : null,
  };
}

/** The merchant's "look up flights": one /trackings/aircargo call, 20 quota. */
export async function lookUpAirWaybill(shop: string, trackingId: string, now = new Date()): Promise<void> {
  const tracking = await prisma.tracking.findFirst({
    where: { id: trackingId, shop, syncState: { not: "deleted" } },
    select: { id: true, trackingNumber: true, carrierCode: true, trackingCompany: true },
  });
  if (!tracking) throw new NotFoundError(`No tracking ${trackingId}`);
  if (!isAirWaybill(tracking)) throw new ValidationError({ airCargo: "not_air_waybill" });
  if (!(await airCargoEnabled(shop))) throw new ValidationError({ airCargo: "air_cargo_off" });
  const client = await trackingMoreClientForShop(shop);
  if (!client) throw new ValidationError({ airCargo: "no_api_key" });
  const awb = tracking.trackingNumber.trim();
  let result;
  try {
    [result] = await client.airCargo([awb]);
  } catch (error) {
    if (error instanceof TrackingMoreError) {
      throw new ValidationError({
        airCargo: error.code === 4021 ? "quota_exhausted" : "trackingmore_unreachable",
      });
    }
    throw error;
  }
  if (!result) throw new ValidationError({ airCargo: "trackingmore_unreachable" });
  const data = {
    shop,
    awb,
    origin: result.origin,
    destination: result.destination,
    events: JSON.stringify(result.events),
    fetchedAt: now,
  };
  await prisma.airCargoTrack.upsert({ where: { trackingId }, create: { trackingId, ...data }, update: data });
}
