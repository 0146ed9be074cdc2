// The v2 endpoints. Each handler gets an authenticated account and returns `data`, or throws
// ApiError with a documented meta.code. Codes and shapes follow /work/shared/trackingmore-v2.md;
// where that contract says "unconfirmed", the choice made is noted next to the code.
import { carrierList, detectCarriers, findCarrier } from "./carriers";
import { planFor } from "./progression";
import { stableHash } from "./hash";
import {
  effectiveStatus,
  lastChangeAt,
  newTracking,
  trackingKey,
  trackingToWire,
  type Account,
  type StoredTracking,
} from "./store";
import { zoneless } from "../trackingmore-wire";

export const MAX_ITEMS = 40;
const MAX_LIMIT = 2000;
// The contract's status values, kept here rather than taken from the app's client: the emulator
// stands for TrackingMore, so a client that drifts from the contract fails against it.
const STATUSES: ReadonlySet<string> = new Set([
  "pending",
  "notfound",
  "transit",
  "pickup",
  "delivered",
  "undelivered",
  "exception",
  "expired",
]);
const NUMBER_SHAPE = /^[A-Za-z0-9-]{4,50}$/;
const AWB_SHAPE = /^\d{3}[ -]?\d{7,8}$/;

export class ApiError extends Error {
  constructor(
    readonly code: number,
    message?: string,
  ) {
    super(message ?? "");
  }
}

export interface ApiContext {
  account: Account;
  now: number;
  body: unknown;
  query: URLSearchParams;
  params: { carrier?: string; number?: string; lang?: string };
  headers: Record<string, string | string[] | undefined>;
  /** Called after anything that may have changed a tracking's status. */
  statusMayHaveChanged(t: StoredTracking): void;
}

export interface ApiAnswer {
  code?: number;
  data: unknown;
}

type Handler = (ctx: ApiContext) => ApiAnswer;
type Json = Record<string, unknown>;

function asItems(body: unknown): Json[] {
  if (!Array.isArray(body)) throw new ApiError(4012, "The body must be a JSON array.");
  if (body.length === 0) throw new ApiError(4012, "The array is empty.");
  if (body.length > MAX_ITEMS) throw new ApiError(4020);
  return body.map((item) => (item !== null && typeof item === "object" ? (item as Json) : {}));
}

function asObject(body: unknown): Json {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new ApiError(4012, "The body must be a JSON object.");
  return body as Json;
}

function textOf(value: unknown): string | null {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (typeof value === "number") return String(value);
  return null;
}

/** The checks every create path shares; the order decides which code wins. */
function validateCreate(item: Json): void {
  const number = textOf(item.tracking_number);
  if (number === null) throw new ApiError(4013);
  if (!NUMBER_SHAPE.test(number)) throw new ApiError(4014);
  const carrier = textOf(item.carrier_code);
  if (carrier === null) throw new ApiError(4012, "carrier_code is required.");
  if (!findCarrier(carrier)) throw new ApiError(4015);
  if (
    item.destination_code !== undefined &&
    item.destination_code !== "" &&
    !/^[A-Za-z]{2}$/.test(String(item.destination_code))
  ) {
    throw new ApiError(4012, "destination_code must be a two-letter country code.");
  }
  item.tracking_number = number;
  item.carrier_code = carrier;
}

function refOf(item: Json): { carrier: string; number: string } {
  const number = textOf(item.tracking_number);
  if (number === null) throw new ApiError(4013);
  const carrier = textOf(item.carrier_code);
  if (carrier === null) throw new ApiError(4012, "carrier_code is required.");
  return { carrier, number };
}

function find(account: Account, carrier: string, number: string, missingCode = 4017): StoredTracking {
  const t = account.trackings.get(trackingKey(carrier, number));
  if (!t) throw new ApiError(missingCode);
  return t;
}

function create(ctx: ApiContext, item: Json): StoredTracking {
  const t = newTracking(ctx.account, item, ctx.now);
  ctx.account.trackings.set(trackingKey(t.carrierCode, t.trackingNumber), t);
  ctx.account.quota -= 1;
  return t;
}

const PATCHABLE_TEXT = [
  "title",
  "logistics_channel",
  "customer_name",
  "customer_phone",
  "order_id",
  "destination_code",
] as const;

/** Validates the whole patch before touching anything, so a bad field changes nothing. */
function applyPatch(ctx: ApiContext, t: StoredTracking, patch: Json): void {
  let manual: 4 | 7 | null | undefined;
  if (patch.status !== undefined) {
    const n =
      typeof patch.status === "number"
        ? patch.status
        : /^\d+$/.test(String(patch.status))
          ? Number(patch.status)
          : NaN;
    if (n !== 4 && n !== 7 && n !== 8) throw new ApiError(4033);
    manual = n === 8 ? null : n;
  }
  let archived: boolean | undefined;
  if (patch.archived !== undefined) {
    if (patch.archived === "true" || patch.archived === true) archived = true;
    else if (patch.archived === "false" || patch.archived === false) archived = false;
    else throw new ApiError(4012, 'archived must be "true" or "false".');
  }
  if (
    patch.destination_code !== undefined &&
    patch.destination_code !== "" &&
    !/^[A-Za-z]{2}$/.test(String(patch.destination_code))
  ) {
    throw new ApiError(4012, "destination_code must be a two-letter country code.");
  }
  for (const name of PATCHABLE_TEXT) {
    const value = patch[name];
    if (typeof value === "string" || typeof value === "number") t.fields[name] = String(value);
  }
  if (patch.customer_email !== undefined) t.customerEmail = patch.customer_email;
  if (archived !== undefined) t.archived = archived;
  if (manual !== undefined) t.manualStatus = manual;
  t.editedAt = ctx.now;
  ctx.statusMayHaveChanged(t);
}

function itemError(item: Json, error: unknown) {
  const code = error instanceof ApiError ? error.code : 500;
  return {
    tracking_number: item.tracking_number ?? null,
    carrier_code: item.carrier_code ?? null,
    code,
    message: error instanceof ApiError && error.message ? error.message : defaultMessage(code),
  };
}

/**
 * The many-item endpoints (updatemore, delete, notupdate): `apply` each item, collecting the
 * refs that succeeded and a per-item error for the rest, under that endpoint's counter name.
 */
function eachItem(
  ctx: ApiContext,
  counter: string,
  apply: (carrier: string, number: string, item: Json) => void,
): ApiAnswer {
  const items = asItems(ctx.body);
  const trackings: unknown[] = [];
  const errors: unknown[] = [];
  for (const item of items) {
    try {
      const { carrier, number } = refOf(item);
      apply(carrier, number, item);
      trackings.push({ tracking_number: number, carrier_code: carrier });
    } catch (error) {
      errors.push(itemError(item, error));
    }
  }
  return { data: { submitted: items.length, [counter]: trackings.length, trackings, errors } };
}

function seconds(query: URLSearchParams, name: string): number | null {
  const raw = query.get(name);
  if (raw === null || raw === "") return null;
  if (!/^\d+$/.test(raw)) throw new ApiError(4012, `${name} must be Unix seconds.`);
  return Number(raw) * 1000;
}

function orderCreateMs(value: unknown): number | null {
  if (typeof value === "number") return value > 0 ? (value < 1e12 ? value * 1000 : value) : null;
  if (typeof value === "string" && value !== "" && value !== "0") {
    if (/^\d+$/.test(value)) return orderCreateMs(Number(value));
    const ms = Date.parse(value.includes("T") || /[zZ+]/.test(value) ? value : `${value.replace(" ", "T")}Z`);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

function within(value: number | null, min: number | null, max: number | null): boolean {
  if (min === null && max === null) return true;
  if (value === null) return false;
  return (min === null || value >= min) && (max === null || value <= max);
}

function commaList(query: URLSearchParams, name: string): Set<string> | null {
  const raw = query.get(name);
  if (!raw) return null;
  const values = raw
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  if (values.length > MAX_ITEMS) throw new ApiError(4020);
  return new Set(values);
}

/** created_at and order_create_time filters, shared by the list and the status counts. */
function creationFilter(query: URLSearchParams) {
  const createdMin = seconds(query, "created_at_min");
  const createdMax = seconds(query, "created_at_max");
  const orderMin = seconds(query, "order_created_time_min");
  const orderMax = seconds(query, "order_created_time_max");
  return (t: StoredTracking) =>
    within(t.createdAt, createdMin, createdMax) &&
    within(orderCreateMs(t.orderCreateTime), orderMin, orderMax);
}

function newestFirst(account: Account): StoredTracking[] {
  // Map order is creation order; reversing gives newest first without sorting.
  return [...account.trackings.values()].reverse();
}

const handlers: Record<string, Handler> = {
  "POST /trackings/post": (ctx) => {
    const item = asObject(ctx.body);
    validateCreate(item);
    if (ctx.account.trackings.has(trackingKey(String(item.carrier_code), String(item.tracking_number))))
      throw new ApiError(4016);
    if (ctx.account.quota <= 0) throw new ApiError(4021);
    return { data: trackingToWire(create(ctx, item), ctx.now) };
  },

  // Unknown numbers: the contract allows 4031 or 4017 for a GET; we answer 4031 ("create the
  // number first, then GET"), the documented reading, and 4017 for PUT/DELETE.
  "GET /trackings/{carrier}/{number}": (ctx) => ({
    data: trackingToWire(find(ctx.account, ctx.params.carrier!, ctx.params.number!, 4031), ctx.now),
  }),

  "PUT /trackings/{carrier}/{number}": (ctx) => {
    const t = find(ctx.account, ctx.params.carrier!, ctx.params.number!);
    applyPatch(ctx, t, asObject(ctx.body));
    return { data: trackingToWire(t, ctx.now) };
  },

  "DELETE /trackings/{carrier}/{number}": (ctx) => {
    find(ctx.account, ctx.params.carrier!, ctx.params.number!);
    ctx.account.trackings.delete(trackingKey(ctx.params.carrier!, ctx.params.number!));
    return { data: [] };
  },

  // Batch answers meta 201 ("created"), which the contract lists among the success codes.
  // Zero quota fails the whole call with 4021; a quota that runs out midway fails the rest.
  "POST /trackings/batch": (ctx) => {
    const items = asItems(ctx.body);
    if (ctx.account.quota <= 0) throw new ApiError(4021);
    const trackings: unknown[] = [];
    const errors: unknown[] = [];
    for (const item of items) {
      try {
        validateCreate(item);
        if (ctx.account.trackings.has(trackingKey(String(item.carrier_code), String(item.tracking_number))))
          throw new ApiError(4016);
        if (ctx.account.quota <= 0) throw new ApiError(4021);
        trackings.push(trackingToWire(create(ctx, item), ctx.now));
      } catch (error) {
        errors.push(itemError(item, error));
      }
    }
    return { code: 201, data: { submitted: items.length, added: trackings.length, trackings, errors } };
  },

  "GET /trackings/get": (ctx) => {
    const q = ctx.query;
    const page = Math.max(1, Number(q.get("page") ?? 1) || 1);
    // Over-large limits are clamped to 2000 rather than refused (the docs only give the maximum).
    const limit = Math.min(MAX_LIMIT, Math.max(1, Number(q.get("limit") ?? 100) || 100));
    const status = q.get("status");
    if (status && !STATUSES.has(status)) throw new ApiError(4033);
    const created = creationFilter(q);
    const updatedMin = seconds(q, "update_time_min");
    const updatedMax = seconds(q, "update_time_max");
    const numbers = commaList(q, "numbers");
    const orders = commaList(q, "orders");
    const archived = q.get("archived");
    const matches = newestFirst(ctx.account).filter(
      (t) =>
        (!numbers || numbers.has(t.trackingNumber)) &&
        (!orders || orders.has(t.fields.order_id ?? "")) &&
        (archived !== "true" || t.archived) &&
        (archived !== "false" || !t.archived) &&
        created(t) &&
        within(lastChangeAt(t, ctx.now), updatedMin, updatedMax) &&
        (!status || effectiveStatus(t, ctx.now) === status),
    );
    const items = matches.slice((page - 1) * limit, page * limit).map((t) => trackingToWire(t, ctx.now));
    // `total` is a string on the real API; kept that way so clients must cope.
    return { data: { page, limit, total: String(matches.length), count: items.length, items } };
  },

  // Per-item results: the contract leaves the shape open; we mirror delete's
  // {submitted, <counter>, trackings} and add the batch-style errors[].
  "POST /trackings/updatemore": (ctx) =>
    eachItem(ctx, "updated", (carrier, number, item) =>
      applyPatch(ctx, find(ctx.account, carrier, number), item),
    ),

  "POST /trackings/delete": (ctx) =>
    eachItem(ctx, "delete", (carrier, number) => {
      find(ctx.account, carrier, number);
      ctx.account.trackings.delete(trackingKey(carrier, number));
    }),

  "POST /trackings/notupdate": (ctx) =>
    eachItem(ctx, "change", (carrier, number) => {
      find(ctx.account, carrier, number).stoppedAt ??= ctx.now;
    }),

  // Realtime creates the tracking when it does not exist yet (1 quota) and otherwise answers
  // its current state. The "once per 2 hours per shipment" rule is not enforced: the docs do
  // not say what a repeat gets, and the state we hold is always current anyway.
  "POST /trackings/realtime": (ctx) => {
    const item = asObject(ctx.body);
    validateCreate(item);
    let t = ctx.account.trackings.get(trackingKey(String(item.carrier_code), String(item.tracking_number)));
    if (!t) {
      if (ctx.account.quota <= 0) throw new ApiError(4021);
      t = create(ctx, item);
    }
    return { data: { items: [trackingToWire(t, ctx.now)] } };
  },

  "POST /trackings/update": (ctx) => {
    const body = asObject(ctx.body);
    const { carrier, number } = refOf(body);
    const target = textOf(body.update_carrier_code);
    if (target === null) throw new ApiError(4012, "update_carrier_code is required.");
    if (!findCarrier(target)) throw new ApiError(4015);
    const t = find(ctx.account, carrier, number);
    if (target !== carrier) {
      if (ctx.account.trackings.has(trackingKey(target, number))) throw new ApiError(4016);
      ctx.account.trackings.delete(trackingKey(carrier, number));
      t.carrierCode = target;
      t.editedAt = ctx.now;
      // The new carrier's own tracking history (a number sent under the wrong carrier is found).
      t.plan = planFor(target, number, findCarrier(target)?.type === "globalpost");
      ctx.account.trackings.set(trackingKey(target, number), t);
    }
    return { data: { Usertag: "" } };
  },

  "GET /trackings/getuserinfo": (ctx) => ({
    data: {
      email: ctx.account.email,
      regtime: zoneless(ctx.account.regtime),
      phone: "",
      money: "0.00",
      track_number: ctx.account.quota,
    },
  }),

  // Shape partly unconfirmed: a flat object of the eight status counts.
  "GET /trackings/getstatusnumber": (ctx) => {
    const created = creationFilter(ctx.query);
    const counts: Record<string, number> = {};
    for (const s of STATUSES) counts[s] = 0;
    for (const t of ctx.account.trackings.values()) if (created(t)) counts[effectiveStatus(t, ctx.now)]++;
    return { data: counts };
  },

  "POST /trackings/remote": (ctx) => {
    const items = asItems(ctx.body);
    for (const item of items) {
      if (!textOf(item.country) || (!textOf(item.postcode) && !textOf(item.city))) {
        throw new ApiError(4012, "Each item needs country and postcode or city.");
      }
    }
    charge(ctx.account, "remoteCalls", 5);
    const remote = items
      .filter((item) => stableHash(`remote:${item.country}/${item.postcode ?? item.city}`) % 5 === 0)
      .map((item) => ({
        far_express_company: textOf(item.company) ?? "dhl",
        two_code: String(item.country).toUpperCase(),
        far_country: String(item.country).toUpperCase(),
        far_city_postcode: String(item.postcode ?? item.city),
      }));
    return { data: { submitted: items.length, other: [], remote } };
  },

  "POST /trackings/costtime": (ctx) => {
    const items = asItems(ctx.body);
    return {
      data: items.map((item) => {
        const carrier = textOf(item.carrier_code);
        if (carrier === null) throw new ApiError(4012, "carrier_code is required.");
        if (!findCarrier(carrier)) throw new ApiError(4015);
        const h = stableHash(`cost:${carrier}/${item.original}/${item.destination}`);
        const total = 100 + (h % 900);
        const shares = [40 + (h % 20), 25, 15, 10 - (h % 5)];
        const rest = 100 - shares.reduce((a, b) => a + b, 0);
        const [r1, r2, r3, r4] = shares;
        return {
          carrier_code: carrier,
          original: item.original ?? "",
          destination: item.destination ?? "",
          total: String(total),
          delivered: String(Math.round(total * 0.93)),
          range1: r1.toFixed(2),
          range2: r2.toFixed(2),
          range3: r3.toFixed(2),
          range4: r4.toFixed(2),
          range5: rest.toFixed(2),
        };
      }),
    };
  },

  "POST /trackings/aircargo": (ctx) => {
    const body = asObject(ctx.body);
    const numbers = Array.isArray(body.track_number) ? body.track_number : [body.track_number];
    if (numbers.length === 0 || numbers.some((n) => typeof n !== "string" || n === ""))
      throw new ApiError(4013);
    if (numbers.some((n) => !AWB_SHAPE.test(n as string)))
      throw new ApiError(4014, "Air waybill numbers look like 172-28891936.");
    if (numbers.length > MAX_ITEMS) throw new ApiError(4020);
    const cost = 20 * numbers.length;
    if (ctx.account.quota < cost) throw new ApiError(4021);
    ctx.account.quota -= cost;
    return {
      data: (numbers as string[]).map((n) => {
        const h = stableHash(`awb:${n}`);
        return {
          track_number: n,
          weight: `${(h % 500) + 1} KG`,
          piece: String((h % 9) + 1),
          origin: "PVG",
          destination: "LAX",
          status_number: (h % 4) + 1,
          track_info: [
            {
              plan_date: null,
              actual_date: zoneless(ctx.now - 86_400_000),
              event: "Booked",
              station: "PVG",
              flight_number: "",
            },
            {
              plan_date: zoneless(ctx.now),
              actual_date: null,
              event: "Departed",
              station: "PVG",
              flight_number: `CK${100 + (h % 800)}`,
            },
          ],
        };
      }),
    };
  },

  "GET /carriers": (ctx) => {
    const lang = ctx.headers.lang;
    return { data: carrierList(Array.isArray(lang) ? lang[0] : lang) };
  },

  "POST /carriers/detect": (ctx) => {
    const body = asObject(ctx.body);
    const number = textOf(body.tracking_number);
    if (number === null) throw new ApiError(4013);
    charge(ctx.account, "detectCalls", 5);
    const found = detectCarriers(number);
    if (found.length === 0) throw new ApiError(4032);
    return { data: found };
  },
};

/** Detect and remote cost one quota per five calls: the fifth call pays. */
function charge(account: Account, counter: "detectCalls" | "remoteCalls", callsPerUnit: number): void {
  if (account.quota <= 0) throw new ApiError(4021);
  account[counter]++;
  if (account[counter] % callsPerUnit === 0) account.quota -= 1;
}

export function handlerFor(endpoint: string): Handler | undefined {
  return handlers[endpoint];
}

/** [meta.type, meta.message, HTTP status] per meta.code. */
const META: Record<number, [string, string, number]> = {
  200: ["Success", "Success", 200],
  201: ["Created", "The request was successful and a resource was created.", 200],
  202: ["Accepted", "The request was successful but some items exceeded a limit.", 200],
  401: ["Unauthorized", "Authentication failed.", 401],
  404: ["NotFound", "The requested resource does not exist.", 404],
  405: ["MethodNotAllowed", "The method is not allowed for this resource.", 405],
  4001: ["Unauthorized", "Invalid API key.", 401],
  4002: ["Unauthorized", "This API key has been deleted.", 401],
  4012: ["BadRequest", "A required parameter is missing or invalid.", 400],
  4013: ["BadRequest", "tracking_number is required.", 400],
  4014: ["BadRequest", "The tracking number is invalid.", 400],
  4015: ["BadRequest", "The carrier code is invalid.", 400],
  4016: ["BadRequest", "The tracking already exists.", 400],
  4017: ["BadRequest", "The tracking does not exist.", 400],
  // HTTP status unconfirmed; as 4021, its fellow "pay first" answer.
  4019: ["Forbidden", "Your balance is insufficient.", 200],
  4020: ["BadRequest", "Too many items in one call; at most 40.", 400],
  // Seen with HTTP 200 on the real service; the emulator copies that.
  4021: ["Forbidden", "Your quota is exhausted or your trial has expired.", 200],
  4031: ["NoContent", "No content: create the tracking first, then get it.", 400],
  4032: ["BadRequest", "The carrier cannot be detected.", 400],
  4033: ["BadRequest", "Invalid status value; use 4, 7 or 8.", 400],
  429: ["TooManyRequests", "Too many requests; pause for about two minutes, then retry.", 429],
  500: ["InternalError", "Internal server error.", 500],
  503: ["ServiceUnavailable", "Service unavailable.", 503],
};

export function defaultMessage(code: number): string {
  return META[code]?.[1] ?? "Error";
}

export function envelope(
  code: number,
  data: unknown,
  message?: string,
): { httpStatus: number; body: string } {
  const [type, defaultText, httpStatus] = META[code] ?? ["Error", "Error", 400];
  return {
    httpStatus,
    body: JSON.stringify({ meta: { code, type, message: message || defaultText }, data }),
  };
}
