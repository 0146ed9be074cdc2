import type { Prisma } from "~/db/client.server";
import { parseStoredCheckpoints } from "~/pipeline/write-back/event-mapping.server";
import { wholeDays } from "./estimate";

// What a delivery promise needs of a tracking row, derived from the row alone: the route, when
// the carrier took the parcel, when it was delivered, and whether it ever met an exception or a
// failed delivery attempt.

export const PROMISE_SOURCE_SELECT = {
  id: true,
  shop: true,
  carrierCode: true,
  originCountry: true,
  destinationCode: true,
  status: true,
  checkpoints: true,
  lastEventAt: true,
  estimatedDeliveryAt: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.TrackingSelect;

export type PromiseSourceRow = Prisma.TrackingGetPayload<{ select: typeof PROMISE_SOURCE_SELECT }>;

/** Statuses in which a parcel is in the carrier's hands and not yet delivered: it gets an estimate. */
export const IN_TRANSIT_STATUSES = ["transit", "pickup", "undelivered", "exception"] as const;
const NOT_YET_WITH_CARRIER = new Set(["pending", "notfound", null]);

export interface DerivedPromise {
  shop: string;
  carrierCode: string;
  originCountry: string;
  destinationCountry: string;
  shipDay: string;
  shippedAt: Date;
  deliveredAt: Date | null;
  deliveryDays: number | null;
  status: string;
  hadException: boolean;
  hadFailedAttempt: boolean;
}

export function routeCountry(code: string | null | undefined): string {
  const c = (code ?? "").trim().toUpperCase();
  return /^[A-Z]{2}$/.test(c) ? c : "";
}

export function derivePromise(row: PromiseSourceRow): DerivedPromise {
  // The realtime refresh stores the status as `checkpointStatus`, the snapshot apply as `status`.
  const checkpoints = parseStoredCheckpoints(row.checkpoints).map((c) => ({
    ...c,
    status: c.status ?? (c as { checkpointStatus?: string | null }).checkpointStatus ?? null,
  }));
  const timeOf = (t: string | null) => (t ? new Date(t) : null);
  // The first scan by the carrier itself ("accepted"), not the label-created notice.
  const firstScan = checkpoints.find((c) => !NOT_YET_WITH_CARRIER.has(c.status) && c.time);
  const shippedAt = timeOf(firstScan?.time ?? null) ?? row.createdAt;
  const deliveryScan =
    row.status === "delivered"
      ? [...checkpoints].reverse().find((c) => c.status === "delivered" && c.time)
      : undefined;
  const deliveredAt =
    row.status === "delivered" ? (timeOf(deliveryScan?.time ?? null) ?? row.lastEventAt ?? null) : null;
  const statuses = new Set([row.status, ...checkpoints.map((c) => c.status)]);
  return {
    shop: row.shop,
    carrierCode: row.carrierCode,
    originCountry: routeCountry(row.originCountry),
    destinationCountry: routeCountry(row.destinationCode),
    shipDay: row.createdAt.toISOString().slice(0, 10),
    shippedAt,
    deliveredAt,
    deliveryDays: deliveredAt ? wholeDays(shippedAt, deliveredAt) : null,
    status: row.status,
    hadException: statuses.has("exception"),
    hadFailedAttempt: statuses.has("undelivered"),
  };
}

export function isInTransit(status: string): boolean {
  return (IN_TRANSIT_STATUSES as readonly string[]).includes(status);
}
