// Which Shopify FulfillmentEventStatus a parcel's TrackingMore status stands for, and how far
// along a parcel is (to find a fulfillment's least advanced parcel).
//
//   TrackingMore status / substatus                      Shopify event
//   pending, notfound                                    (none: nothing has happened yet)
//   transit, only checkpoint is the carrier's pick-up    CARRIER_PICKED_UP
//     (substatus transit001 or "picked up/accepted/received/collected")
//   transit otherwise                                    IN_TRANSIT
//   pickup001/003 (out for delivery, contact)            OUT_FOR_DELIVERY
//   pickup002 (ready for collection)                     READY_FOR_PICKUP
//   undelivered                                          ATTEMPTED_DELIVERY
//   exception006 (held by customs)                       DELAYED
//   exception otherwise (also a manual 7)                FAILURE
//   delivered (also a manual 4)                          DELIVERED
//   expired                                              (none: TrackingMore stopped looking;
//                                                         telling the customer "delayed" would
//                                                         be a guess)

export type FulfillmentEventStatus =
  | "ATTEMPTED_DELIVERY"
  | "CARRIER_PICKED_UP"
  | "DELAYED"
  | "DELIVERED"
  | "FAILURE"
  | "IN_TRANSIT"
  | "OUT_FOR_DELIVERY"
  | "READY_FOR_PICKUP";

/** A checkpoint as Tracking.checkpoints stores it (JSON array, oldest first). */
export interface StoredCheckpoint {
  time: string | null;
  description: string;
  location: string | null;
  status: string | null;
  substatus: string | null;
  leg: "origin" | "destination";
}

/** Substatuses that mean "late", not "failed". */
const DELAY_SUBSTATUSES = new Set(["exception006"]);
const CARRIER_PICKUP_WORDS = /picked up|accepted|received by|collected|pick-?up scan/i;

/**
 * How far along a parcel is. A fulfillment shows its least advanced parcel, so "delivered"
 * only when every parcel is. Problems rank after the step where they happen.
 */
const PROGRESS_RANK: Record<string, number> = {
  pending: 0,
  notfound: 1,
  expired: 2,
  transit: 3,
  exception: 4,
  pickup: 5,
  undelivered: 6,
  delivered: 7,
};

export function progressRank(status: string): number {
  return PROGRESS_RANK[status] ?? 0;
}

export function parseStoredCheckpoints(json: string | null | undefined): StoredCheckpoint[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value as StoredCheckpoint[]) : [];
  } catch {
    return [];
  }
}

function isCarrierPickup(checkpoint: StoredCheckpoint): boolean {
  return checkpoint.substatus === "transit001" || CARRIER_PICKUP_WORDS.test(checkpoint.description);
}

export function fulfillmentEventStatusFor(parcel: {
  status: string;
  substatus: string | null;
  checkpoints: StoredCheckpoint[];
}): FulfillmentEventStatus | null {
  switch (parcel.status) {
    case "transit": {
      const moving = parcel.checkpoints.filter((c) => c.status === "transit");
      return moving.length === 1 && isCarrierPickup(moving[0]) ? "CARRIER_PICKED_UP" : "IN_TRANSIT";
    }
    case "pickup":
      return parcel.substatus === "pickup002" ? "READY_FOR_PICKUP" : "OUT_FOR_DELIVERY";
    case "undelivered":
      return "ATTEMPTED_DELIVERY";
    case "exception":
      return parcel.substatus && DELAY_SUBSTATUSES.has(parcel.substatus) ? "DELAYED" : "FAILURE";
    case "delivered":
      return "DELIVERED";
    default:
      return null;
  }
}

/**
 * "Memphis, US" → city and country; a trailing 5-digit or alphanumeric postcode is kept as
 * zip. Carriers write places freely: anything unrecognised goes to city as written.
 */
export function placeOf(location: string | null | undefined): {
  city: string | null;
  province: string | null;
  country: string | null;
  zip: string | null;
} {
  const empty = { city: null, province: null, country: null, zip: null };
  if (!location?.trim()) return empty;
  const parts = location
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  let country: string | null = null;
  if (parts.length > 1 && /^[A-Z]{2}$/.test(parts[parts.length - 1])) country = parts.pop()!;
  let province: string | null = null;
  let zip: string | null = null;
  if (parts.length > 1) {
    const last = parts[parts.length - 1];
    const match = /^([A-Z]{2})\s+(\d{5}(?:-\d{4})?)$/.exec(last);
    if (match) {
      province = match[1];
      zip = match[2];
      parts.pop();
    } else if (/^[A-Z]{2}$/.test(last)) {
      province = parts.pop()!;
    }
  }
  return { city: parts.join(", ") || null, province, country, zip };
}
