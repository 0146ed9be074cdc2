// Lenient readers for TrackingMore's loosely typed responses. Everything that comes off the wire
// passes through here exactly once; nothing beyond this file sees snake_case or mixed types.
import type {
  AirCargoResult,
  BatchCreateResult,
  BatchItemError,
  BatchItemsResult,
  Carrier,
  CarrierLeg,
  Checkpoint,
  RemoteAreaResult,
  StatusCounts,
  Tracking,
  TrackingPage,
  TrackingRef,
  TrackingStatus,
  TransitTimeResult,
  UserInfo,
} from "./types";
import { TRACKING_STATUSES } from "./types";

type Json = Record<string, unknown>;

const STATUS_SET: ReadonlySet<string> = new Set(TRACKING_STATUSES);
/** What a numeric (manually set) status stands for. */
const MANUAL_STATUS_MEANING: Record<number, TrackingStatus> = { 4: "delivered", 7: "exception" };

export function asObject(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

export function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === "object") return Object.values(value as Json);
  return [];
}

export function str(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

export function num(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

export function bool(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === 1 || value === "1") return true;
  if (value === "false" || value === 0 || value === "0") return false;
  return null;
}

const ZONELESS = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * 0, "", null and garbage are "no date". Numbers are Unix seconds (milliseconds when large).
 * Zone-less "YYYY-MM-DD HH:mm:ss" is read as UTC: the API never says which zone it means
 * (checkpoint times are carrier-local), so UTC at least keeps the reading stable.
 */
export function parseDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === "" || value === 0 || value === "0") return null;
  const asNumber =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\d+$/.test(value)
        ? Number(value)
        : null;
  if (asNumber !== null) {
    if (asNumber <= 0) return null;
    return new Date(asNumber < 1e12 ? asNumber * 1000 : asNumber);
  }
  if (typeof value !== "string") return null;
  const zoneless = ZONELESS.exec(value.trim());
  if (zoneless) {
    const [, y, mo, d, h = "0", mi = "0", s = "0"] = zoneless;
    const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
    return Number.isNaN(ms) ? null : new Date(ms);
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function emails(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === "string" ? value.split(/[,;]/) : [];
  return list.map((e) => (typeof e === "string" ? e.trim() : "")).filter((e) => e !== "");
}

function status(value: unknown): TrackingStatus | null {
  if (typeof value !== "string") return null;
  const lower = value.toLowerCase();
  return STATUS_SET.has(lower) ? (lower as TrackingStatus) : null;
}

function statusFromSubstatus(substatus: string | null): TrackingStatus | null {
  if (!substatus) return null;
  return status(substatus.replace(/\d+$/, ""));
}

function parseCheckpoint(raw: unknown, leg: Checkpoint["leg"]): Checkpoint {
  const o = asObject(raw);
  const rawTime = str(o.Date ?? o.date ?? o.checkpoint_time);
  return {
    time: parseDate(rawTime),
    rawTime,
    description: str(o.StatusDescription ?? o.status_description ?? o.message) ?? "",
    location: str(o.Details ?? o.details ?? o.location),
    checkpointStatus: status(o.checkpoint_status),
    substatus: str(o.substatus),
    leg,
  };
}

function parseLeg(raw: unknown, leg: Checkpoint["leg"]): CarrierLeg | null {
  if (raw === null || raw === undefined || typeof raw !== "object") return null;
  const o = asObject(raw);
  return {
    weblink: str(o.weblink),
    phone: str(o.phone),
    carrierCode: str(o.carrier_code),
    itemReceived: parseDate(o.ItemReceived),
    itemDispatched: parseDate(o.ItemDispatched),
    departFromAirport: parseDate(o.DepartfromAirport),
    arrivalFromAbroad: parseDate(o.ArrivalfromAbroad),
    customsClearance: parseDate(o.CustomsClearance),
    destinationArrived: parseDate(o.DestinationArrived),
    checkpoints: asArray(o.trackinfo).map((c) => parseCheckpoint(c, leg)),
  };
}

function newestFirst(a: Checkpoint, b: Checkpoint): number {
  return (b.time?.getTime() ?? 0) - (a.time?.getTime() ?? 0);
}

export function parseTracking(raw: unknown): Tracking {
  const o = asObject(raw);
  const substatus = str(o.substatus);
  const manualStatus = num(o.status);
  const statusValue =
    (manualStatus !== null ? MANUAL_STATUS_MEANING[manualStatus] : undefined) ??
    status(o.status) ??
    statusFromSubstatus(substatus) ??
    "pending";
  const origin = parseLeg(o.origin_info, "origin");
  const destination = parseLeg(o.destination_info, "destination");
  const customerEmails = emails(o.customer_email);
  return {
    id: str(o.id) ?? "",
    trackingNumber: str(o.tracking_number) ?? "",
    carrierCode: str(o.carrier_code) ?? "",
    status: statusValue,
    manualStatus: manualStatus !== null && MANUAL_STATUS_MEANING[manualStatus] ? manualStatus : null,
    substatus,
    statusInfo: str(o.status_info),
    trackUpdate: bool(o.track_update),
    createdAt: parseDate(o.created_at),
    updatedAt: parseDate(o.updated_at),
    orderCreateTime: parseDate(o.order_create_time),
    title: str(o.title),
    orderId: str(o.order_id),
    comment: str(o.comment),
    customerName: str(o.customer_name),
    customerEmail: customerEmails[0] ?? null,
    customerEmails,
    customerPhone: str(o.customer_phone),
    logisticsChannel: str(o.logistics_channel),
    destinationCode: str(o.destination_code),
    archived: bool(o.archived) ?? false,
    originalCountry: str(o.original_country),
    destinationCountry: str(o.destination_country),
    transitDays: num(o.itemTimeLength),
    stayDays: num(o.stayTimeLength),
    lastEvent: str(o.lastEvent),
    lastUpdateTime: parseDate(o.lastUpdateTime),
    origin,
    destination,
    checkpoints: [...(origin?.checkpoints ?? []), ...(destination?.checkpoints ?? [])].sort(newestFirst),
  };
}

function parseRef(raw: unknown): TrackingRef {
  const o = asObject(raw);
  return { trackingNumber: str(o.tracking_number) ?? "", carrierCode: str(o.carrier_code) ?? "" };
}

export function parseItemError(raw: unknown): BatchItemError {
  const o = asObject(raw);
  return {
    ...parseRef(o),
    code: num(o.code ?? o.errorCode) ?? 0,
    message: str(o.message ?? o.errorMessage) ?? "",
  };
}

export function parseBatchCreate(raw: unknown, submittedFallback: number): BatchCreateResult {
  const o = asObject(raw);
  const trackings = asArray(o.trackings).map(parseTracking);
  return {
    submitted: num(o.submitted) ?? submittedFallback,
    added: num(o.added) ?? trackings.length,
    trackings,
    errors: asArray(o.errors).map(parseItemError),
  };
}

/**
 * updatemore / delete / notupdate answer with slightly different shapes (the counter is called
 * `updated`, `delete` or `change`; updatemore's shape is unconfirmed). Read whatever list of
 * tracking refs is there as the successes, and `errors` as the failures.
 */
export function parseBatchItems(raw: unknown, submittedFallback: number): BatchItemsResult {
  const o = asObject(raw);
  const okList = o.trackings ?? o.items ?? (Array.isArray(raw) ? raw : []);
  const errors = asArray(o.errors).map(parseItemError);
  const succeeded = asArray(okList)
    .filter((item) => {
      const code = num(asObject(item).code);
      return code === null || code === 200;
    })
    .map(parseRef);
  return { submitted: num(o.submitted) ?? submittedFallback, succeeded, errors };
}

export function parseTrackingPage(raw: unknown): TrackingPage {
  const o = asObject(raw);
  const items = asArray(o.items).map(parseTracking);
  return {
    page: num(o.page) ?? 1,
    limit: num(o.limit) ?? items.length,
    total: num(o.total) ?? items.length,
    items,
  };
}

export function parseUserInfo(raw: unknown): UserInfo {
  const o = asObject(raw);
  return {
    email: str(o.email) ?? "",
    regtime: parseDate(o.regtime),
    phone: str(o.phone),
    money: num(o.money),
    remainingQuota: num(o.track_number) ?? 0,
  };
}

export function parseStatusCounts(raw: unknown): StatusCounts {
  // Shape partly unconfirmed: accept a flat object or one wrapped in an array.
  const o = asObject(Array.isArray(raw) ? raw[0] : raw);
  const counts = {} as StatusCounts;
  for (const s of TRACKING_STATUSES) counts[s] = num(o[s]) ?? 0;
  return counts;
}

export function parseCarrier(raw: unknown): Carrier {
  const o = asObject(raw);
  return {
    code: str(o.code) ?? "",
    name: str(o.name) ?? "",
    phone: str(o.phone),
    homepage: str(o.homepage),
    type: str(o.type),
    picture: str(o.picture),
  };
}

export function parseRemoteAreas(raw: unknown, submittedFallback: number): RemoteAreaResult {
  const o = asObject(raw);
  return {
    submitted: num(o.submitted) ?? submittedFallback,
    other: asArray(o.other),
    remote: asArray(o.remote).map((r) => {
      const x = asObject(r);
      return {
        company: str(x.far_express_company),
        country: str(x.two_code ?? x.far_country),
        cityOrPostcode: str(x.far_city_postcode),
      };
    }),
  };
}

export function parseTransitTime(raw: unknown): TransitTimeResult {
  const o = asObject(raw);
  return {
    carrierCode: str(o.carrier_code) ?? "",
    original: str(o.original) ?? "",
    destination: str(o.destination) ?? "",
    total: num(o.total) ?? 0,
    delivered: num(o.delivered) ?? 0,
    ranges: [
      num(o.range1) ?? 0,
      num(o.range2) ?? 0,
      num(o.range3) ?? 0,
      num(o.range4) ?? 0,
      num(o.range5) ?? 0,
    ],
  };
}

export function parseAirCargo(raw: unknown): AirCargoResult {
  const o = asObject(raw);
  return {
    trackNumber: str(o.track_number) ?? "",
    weight: str(o.weight),
    pieces: num(o.piece),
    origin: str(o.origin),
    destination: str(o.destination),
    statusNumber: num(o.status_number),
    events: asArray(o.track_info).map((e) => {
      const x = asObject(e);
      return {
        plannedAt: str(x.plan_date),
        actualAt: str(x.actual_date),
        event: str(x.event),
        station: str(x.station),
        flightNumber: str(x.flight_number),
      };
    }),
  };
}
