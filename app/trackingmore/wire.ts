// Writers: our camelCase inputs to the snake_case bodies and queries the API expects.
import type {
  CreateTrackingInput,
  ListTrackingsQuery,
  StatusCountsQuery,
  TrackingPatch,
  TrackingRef,
} from "./types";

type WireBody = Record<string, string | number | boolean>;

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function yyyymmdd(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll("-", "");
}

function put(target: WireBody, key: string, value: string | number | boolean | undefined): void {
  if (value !== undefined) target[key] = value;
}

export function refToWire(ref: TrackingRef): WireBody {
  return { tracking_number: ref.trackingNumber, carrier_code: ref.carrierCode };
}

/** The text fields a create and an update both carry. */
function putTrackingFields(body: WireBody, fields: CreateTrackingInput | TrackingPatch): void {
  put(body, "destination_code", fields.destinationCode);
  put(body, "title", fields.title);
  put(body, "logistics_channel", fields.logisticsChannel);
  put(body, "customer_name", fields.customerName);
  put(body, "customer_email", fields.customerEmail);
  put(body, "customer_phone", fields.customerPhone);
  put(body, "order_id", fields.orderId);
}

export function createToWire(input: CreateTrackingInput): WireBody {
  const body = refToWire(input);
  putTrackingFields(body, input);
  put(
    body,
    "order_create_time",
    input.orderCreateTime instanceof Date ? unixSeconds(input.orderCreateTime) : input.orderCreateTime,
  );
  put(
    body,
    "tracking_ship_date",
    input.trackingShipDate instanceof Date ? yyyymmdd(input.trackingShipDate) : input.trackingShipDate,
  );
  put(body, "tracking_postal_code", input.trackingPostalCode);
  put(body, "tracking_account_number", input.trackingAccountNumber);
  put(body, "specialNumberDestination", input.specialNumberDestination);
  put(body, "lang", input.lang);
  put(body, "comment", input.comment);
  if (input.autoCorrect !== undefined) body.auto_correct = input.autoCorrect ? 1 : 0;
  return body;
}

export function patchToWire(patch: TrackingPatch): WireBody {
  const body: WireBody = {};
  putTrackingFields(body, patch);
  // The API wants the strings "true"/"false", not JSON booleans.
  if (patch.archived !== undefined) body.archived = patch.archived ? "true" : "false";
  put(body, "status", patch.status);
  return body;
}

function setDate(params: URLSearchParams, key: string, value: Date | undefined): void {
  if (value) params.set(key, String(unixSeconds(value)));
}

export function listQueryToWire(query: ListTrackingsQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.page !== undefined) params.set("page", String(query.page));
  if (query.limit !== undefined) params.set("limit", String(query.limit));
  if (query.status) params.set("status", query.status);
  setDate(params, "created_at_min", query.createdAtMin);
  setDate(params, "created_at_max", query.createdAtMax);
  setDate(params, "update_time_min", query.updateTimeMin);
  setDate(params, "update_time_max", query.updateTimeMax);
  setDate(params, "order_created_time_min", query.orderCreatedTimeMin);
  setDate(params, "order_created_time_max", query.orderCreatedTimeMax);
  if (query.numbers?.length) params.set("numbers", query.numbers.join(","));
  if (query.orders?.length) params.set("orders", query.orders.join(","));
  if (query.lang) params.set("lang", query.lang);
  if (query.archived !== undefined) params.set("archived", query.archived ? "true" : "false");
  return params;
}

export function statusCountsQueryToWire(query: StatusCountsQuery): URLSearchParams {
  const params = new URLSearchParams();
  setDate(params, "created_at_min", query.createdAtMin);
  setDate(params, "created_at_max", query.createdAtMax);
  setDate(params, "order_created_time_min", query.orderCreatedTimeMin);
  setDate(params, "order_created_time_max", query.orderCreatedTimeMax);
  return params;
}
