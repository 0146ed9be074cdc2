import { createHmac } from "node:crypto";

// TrackingMore v2 as the wire carries it: the signed push envelope (the emulator sends it; tests
// and the push benchmark post it to /webhooks/trackingmore directly), a tracking in the shape
// pushes and lists carry, and the zone-less date format.

/** TrackingMore's push signature: hex HMAC-SHA256 of timeStr, keyed with the account email. */
export function signTrackingMorePush(email: string, timeStr: string): string {
  return createHmac("sha256", email).update(timeStr).digest("hex");
}

export interface TrackingMorePush {
  meta: { code: number; type: string; message: string };
  data: Record<string, unknown>;
  verifyInfo: { timeStr: string; signature: string };
}

/** A signed push of `data`; `timeStr` defaults to now in Unix seconds, as TrackingMore sends it. */
export function trackingMorePush(
  email: string,
  data: Record<string, unknown>,
  timeStr = String(Math.floor(Date.now() / 1000)),
): TrackingMorePush {
  return {
    meta: { code: 200, type: "Success", message: "Success" },
    data,
    verifyInfo: { timeStr, signature: signTrackingMorePush(email, timeStr) },
  };
}

/** The push as the raw body TrackingMore posts. */
export function signedPushBody(email: string, data: Record<string, unknown>, timeStr?: string): string {
  return JSON.stringify(trackingMorePush(email, data, timeStr));
}

export interface WireCheckpoint {
  at: Date;
  status: string;
  substatus?: string;
  description: string;
  location?: string;
  leg?: "origin" | "destination";
}

/** TrackingMore's zone-less "YYYY-MM-DD HH:mm:ss", written in UTC. */
export function zoneless(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 19).replace("T", " ");
}

/** A tracking as TrackingMore's push or list carries it (snake_case, zone-less dates). */
export function wireTracking(options: {
  trackingNumber: string;
  carrierCode?: string;
  status: string;
  substatus?: string | null;
  checkpoints?: WireCheckpoint[];
  updatedAt?: Date;
  transitDays?: number;
  itemReceived?: Date;
}): Record<string, unknown> {
  const checkpoints = options.checkpoints ?? [];
  const leg = (which: "origin" | "destination") => ({
    carrier_code: options.carrierCode ?? "usps",
    ItemReceived: which === "origin" && options.itemReceived ? zoneless(options.itemReceived) : null,
    trackinfo: checkpoints
      .filter((c) => (c.leg ?? "origin") === which)
      .reverse()
      .map((c) => ({
        Date: zoneless(c.at),
        StatusDescription: c.description,
        Details: c.location ?? "",
        checkpoint_status: c.status,
        substatus: c.substatus ?? null,
      })),
  });
  const last = checkpoints[checkpoints.length - 1];
  return {
    id: `tm-${options.trackingNumber}`,
    tracking_number: options.trackingNumber,
    carrier_code: options.carrierCode ?? "usps",
    status: options.status,
    substatus: options.substatus ?? last?.substatus ?? null,
    updated_at: (options.updatedAt ?? last?.at ?? new Date()).toISOString(),
    itemTimeLength: options.transitDays ?? null,
    lastEvent: last ? `${last.description},${last.location ?? ""},${zoneless(last.at)}` : "",
    lastUpdateTime: last ? zoneless(last.at) : null,
    origin_info: leg("origin"),
    destination_info: leg("destination"),
  };
}
