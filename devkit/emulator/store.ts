// In-memory accounts and trackings, and how a stored tracking looks on the wire at a moment.
import { findCarrier } from "./carriers";
import { zoneless } from "../trackingmore-wire";
import { hexId } from "./hash";
import { planFor, reachedEvents, type Milestone, type Plan, type PlannedEvent } from "./progression";

export interface AccountInit {
  apiKey: string;
  email: string;
  /** Remaining tracking quota (getuserinfo.track_number). Default 10 000. */
  quota?: number;
  webhookUrl?: string;
}

export interface StoredTracking {
  id: string;
  carrierCode: string;
  trackingNumber: string;
  createdAt: number;
  /** Last change made through the API (not by the carrier). */
  editedAt: number;
  /** Free-text fields, stored and echoed verbatim (non-ASCII included). */
  fields: Record<string, string>;
  customerEmail: unknown;
  orderCreateTime: unknown;
  archived: boolean;
  /** 4 or 7 while an update overrides the carrier's status. */
  manualStatus: 4 | 7 | null;
  /** Set by notupdate: the carrier story stops here. */
  stoppedAt: number | null;
  plan: Plan;
  /** Status last pushed (or the starting one), to notice changes for webhooks. */
  notifiedStatus: string;
  /**
   * The carrier's story as a test told it (wire fields: status, checkpoints, …), in place of
   * the planned one: what /trackings/get answers for this tracking from then on.
   */
  carrierView?: Record<string, unknown>;
}

export interface Account {
  apiKey: string;
  email: string;
  quota: number;
  regtime: number;
  detectCalls: number;
  remoteCalls: number;
  webhookUrl: string | null;
  deleted: boolean;
  trackings: Map<string, StoredTracking>;
}

export const FREE_TEXT_FIELDS = [
  "title",
  "logistics_channel",
  "customer_name",
  "customer_phone",
  "order_id",
  "destination_code",
  "comment",
  "tracking_ship_date",
  "tracking_postal_code",
  "tracking_account_number",
  "specialNumberDestination",
  "lang",
] as const;

export function trackingKey(carrierCode: string, trackingNumber: string): string {
  return `${carrierCode}\u0000${trackingNumber}`;
}

export function newAccount(init: AccountInit, now: number): Account {
  return {
    apiKey: init.apiKey,
    email: init.email,
    quota: init.quota ?? 10_000,
    regtime: now,
    detectCalls: 0,
    remoteCalls: 0,
    webhookUrl: init.webhookUrl ?? null,
    deleted: false,
    trackings: new Map(),
  };
}

export function newTracking(account: Account, body: Record<string, unknown>, now: number): StoredTracking {
  const carrierCode = String(body.carrier_code);
  const trackingNumber = String(body.tracking_number);
  const fields: Record<string, string> = {};
  for (const name of FREE_TEXT_FIELDS) {
    const value = body[name];
    if (typeof value === "string" || typeof value === "number") fields[name] = String(value);
  }
  return {
    id: hexId(`${account.apiKey}/${carrierCode}/${trackingNumber}/${now}`),
    carrierCode,
    trackingNumber,
    createdAt: now,
    editedAt: now,
    fields,
    customerEmail: body.customer_email ?? "",
    orderCreateTime: body.order_create_time ?? 0,
    archived: false,
    manualStatus: null,
    stoppedAt: null,
    plan: planFor(carrierCode, trackingNumber, findCarrier(carrierCode)?.type === "globalpost"),
    notifiedStatus: "pending",
  };
}

function eventsAt(t: StoredTracking, now: number): PlannedEvent[] {
  return reachedEvents(t.plan, Math.min(now, t.stoppedAt ?? now) - t.createdAt);
}

/** The carrier's own status at `now`, ignoring any manual override. */
export function carrierStatus(t: StoredTracking, now: number): { status: string; substatus: string | null } {
  const events = eventsAt(t, now);
  const last = events[events.length - 1];
  return last ? { status: last.status, substatus: last.substatus } : { status: "pending", substatus: null };
}

const MANUAL_MEANING = { 4: "delivered", 7: "exception" } as const;

/** The status a filter or a webhook compares: manual 4/7 count as delivered/exception. */
export function effectiveStatus(t: StoredTracking, now: number): string {
  if (t.manualStatus) return MANUAL_MEANING[t.manualStatus];
  return typeof t.carrierView?.status === "string" ? t.carrierView.status : carrierStatus(t, now).status;
}

export function lastChangeAt(t: StoredTracking, now: number): number {
  const events = eventsAt(t, now);
  const last = events[events.length - 1];
  return Math.max(t.editedAt, last ? t.createdAt + last.offsetMs : 0);
}

/** ISO 8601 with the +08:00 offset real responses carry (their servers run on China time). */
export function chinaIso(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

const ORIGIN_COUNTRY: Record<string, string> = {
  usps: "US",
  ups: "US",
  fedex: "US",
  "royal-mail": "GB",
  "deutsche-post": "DE",
  "canada-post": "CA",
};

function leg(t: StoredTracking, events: PlannedEvent[], which: PlannedEvent["leg"]) {
  const mine = events.filter((e) => e.leg === which);
  const milestoneTimes: Partial<Record<Milestone, string>> = {};
  for (const e of mine) for (const m of e.milestones) milestoneTimes[m] = zoneless(t.createdAt + e.offsetMs);
  const carrier = findCarrier(t.carrierCode);
  return {
    weblink: carrier?.homepage ?? "",
    phone: null,
    carrier_code: t.carrierCode,
    ItemReceived: milestoneTimes.ItemReceived ?? null,
    ItemDispatched: milestoneTimes.ItemDispatched ?? null,
    DepartfromAirport: milestoneTimes.DepartfromAirport ?? null,
    ArrivalfromAbroad: milestoneTimes.ArrivalfromAbroad ?? null,
    CustomsClearance: milestoneTimes.CustomsClearance ?? null,
    DestinationArrived: milestoneTimes.DestinationArrived ?? null,
    trackinfo: mine
      .slice()
      .reverse()
      .map((e) => ({
        Date: zoneless(t.createdAt + e.offsetMs),
        StatusDescription: e.description,
        Details: e.location,
        checkpoint_status: e.status,
        substatus: e.substatus,
      })),
  };
}

const DAY = 86_400_000;

function plannedWire(t: StoredTracking, now: number): Record<string, unknown> {
  const events = eventsAt(t, now);
  const last = events[events.length - 1];
  const carrier = carrierStatus(t, now);
  const firstScan = events.find((e) => e.milestones.includes("ItemReceived"));
  const finished = carrier.status === "delivered" || carrier.status === "expired";
  const transitEnd = finished && last ? t.createdAt + last.offsetMs : now;
  return {
    id: t.id,
    tracking_number: t.trackingNumber,
    carrier_code: t.carrierCode,
    // A manual status comes back as the numeric string it was set with ("7"), as in the seed.
    status: t.manualStatus ? String(t.manualStatus) : carrier.status,
    substatus: t.manualStatus ? null : carrier.substatus,
    status_info: null,
    track_update: t.stoppedAt === null,
    created_at: chinaIso(t.createdAt),
    updated_at: chinaIso(lastChangeAt(t, now)),
    order_create_time: t.orderCreateTime,
    title: t.fields.title ?? null,
    order_id: t.fields.order_id ?? null,
    comment: t.fields.comment ?? null,
    customer_name: t.fields.customer_name ?? null,
    customer_email: t.customerEmail,
    customer_phone: t.fields.customer_phone ?? null,
    logistics_channel: t.fields.logistics_channel ?? null,
    destination_code: t.fields.destination_code ?? "",
    archived: t.archived ? "true" : "false",
    original_country: ORIGIN_COUNTRY[t.carrierCode] ?? "CN",
    destination_country: t.fields.destination_code ?? "US",
    itemTimeLength: firstScan ? Math.floor((transitEnd - t.createdAt - firstScan.offsetMs) / DAY) : null,
    stayTimeLength: last ? Math.floor((now - t.createdAt - last.offsetMs) / DAY) : 0,
    lastEvent: last ? `${last.description},${last.location},${zoneless(t.createdAt + last.offsetMs)}` : "",
    lastUpdateTime: last ? zoneless(t.createdAt + last.offsetMs) : null,
    origin_info: leg(t, events, "origin"),
    destination_info: leg(t, events, "destination"),
  };
}

export function trackingToWire(t: StoredTracking, now: number): Record<string, unknown> {
  const wire = plannedWire(t, now);
  if (!t.carrierView) return wire;
  const { id: _id, tracking_number: _number, carrier_code: _carrier, ...story } = t.carrierView;
  return { ...wire, ...story };
}
