// Our strict, camelCase view of TrackingMore API v2. The wire's snake_case shapes live only in
// parse.ts (reading) and wire.ts (writing).

export type TrackingStatus =
  "pending" | "notfound" | "transit" | "pickup" | "delivered" | "undelivered" | "exception" | "expired";

export const TRACKING_STATUSES: readonly TrackingStatus[] = [
  "pending",
  "notfound",
  "transit",
  "pickup",
  "delivered",
  "undelivered",
  "exception",
  "expired",
];

/** Numeric statuses an update may set: 4 = delivered, 7 = exception, 8 = back to the carrier's own. */
export type ManualStatus = 4 | 7 | 8;

export type TrackingRef = { trackingNumber: string; carrierCode: string };

export interface CreateTrackingInput extends TrackingRef {
  destinationCode?: string;
  title?: string;
  logisticsChannel?: string;
  customerName?: string;
  customerEmail?: string;
  customerPhone?: string;
  orderId?: string;
  /** Sent as Unix seconds when a Date. */
  orderCreateTime?: Date | string | number;
  /** YYYYMMDD; a Date is formatted in UTC. */
  trackingShipDate?: Date | string;
  trackingPostalCode?: string;
  trackingAccountNumber?: string;
  specialNumberDestination?: string;
  lang?: string;
  comment?: string;
  autoCorrect?: boolean;
}

export interface TrackingPatch {
  title?: string;
  logisticsChannel?: string;
  customerName?: string;
  customerEmail?: string;
  customerPhone?: string;
  orderId?: string;
  destinationCode?: string;
  archived?: boolean;
  status?: ManualStatus;
}

export interface Checkpoint {
  time: Date | null;
  /** The wire's Date string as sent (zone-less). */
  rawTime: string | null;
  description: string;
  location: string | null;
  checkpointStatus: TrackingStatus | null;
  substatus: string | null;
  leg: "origin" | "destination";
}

export interface CarrierLeg {
  weblink: string | null;
  phone: string | null;
  carrierCode: string | null;
  itemReceived: Date | null;
  itemDispatched: Date | null;
  departFromAirport: Date | null;
  arrivalFromAbroad: Date | null;
  customsClearance: Date | null;
  destinationArrived: Date | null;
  checkpoints: Checkpoint[];
}

export interface Tracking extends TrackingRef {
  id: string;
  status: TrackingStatus;
  /** The numeric status an update set (4 or 7) while it overrides the carrier's; null otherwise. */
  manualStatus: number | null;
  substatus: string | null;
  statusInfo: string | null;
  trackUpdate: boolean | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  orderCreateTime: Date | null;
  title: string | null;
  orderId: string | null;
  comment: string | null;
  customerName: string | null;
  /** First address of customerEmails, or null. */
  customerEmail: string | null;
  customerEmails: string[];
  customerPhone: string | null;
  logisticsChannel: string | null;
  destinationCode: string | null;
  archived: boolean;
  originalCountry: string | null;
  destinationCountry: string | null;
  /** itemTimeLength on the wire. */
  transitDays: number | null;
  /** stayTimeLength on the wire: days since the last event. */
  stayDays: number | null;
  lastEvent: string | null;
  lastUpdateTime: Date | null;
  origin: CarrierLeg | null;
  destination: CarrierLeg | null;
  /** Both legs' events, newest first. */
  checkpoints: Checkpoint[];
}

export interface BatchItemError extends TrackingRef {
  code: number;
  message: string;
}

export interface BatchCreateResult {
  submitted: number;
  added: number;
  trackings: Tracking[];
  errors: BatchItemError[];
}

export interface BatchItemsResult {
  submitted: number;
  /** Items the API reports as done. */
  succeeded: TrackingRef[];
  errors: BatchItemError[];
}

export interface ListTrackingsQuery {
  page?: number;
  /** Default 100 on the API side, max 2000. */
  limit?: number;
  status?: TrackingStatus;
  createdAtMin?: Date;
  createdAtMax?: Date;
  updateTimeMin?: Date;
  updateTimeMax?: Date;
  orderCreatedTimeMin?: Date;
  orderCreatedTimeMax?: Date;
  /** At most 40. */
  numbers?: string[];
  /** At most 40. */
  orders?: string[];
  lang?: string;
  /** true: only archived, false: only not archived, undefined: both. */
  archived?: boolean;
}

export interface TrackingPage {
  page: number;
  limit: number;
  total: number;
  items: Tracking[];
}

export interface UserInfo {
  email: string;
  regtime: Date | null;
  phone: string | null;
  money: number | null;
  remainingQuota: number;
}

export interface StatusCountsQuery {
  createdAtMin?: Date;
  createdAtMax?: Date;
  orderCreatedTimeMin?: Date;
  orderCreatedTimeMax?: Date;
}

export type StatusCounts = Record<TrackingStatus, number>;

export interface RemoteAreaQuery {
  country: string;
  postcode?: string;
  city?: string;
  company?: string;
}

export interface RemoteAreaHit {
  company: string | null;
  country: string | null;
  cityOrPostcode: string | null;
}

export interface RemoteAreaResult {
  submitted: number;
  remote: RemoteAreaHit[];
  other: unknown[];
}

export interface TransitTimeQuery {
  carrierCode: string;
  original: string;
  destination: string;
}

export interface TransitTimeResult extends TransitTimeQuery {
  total: number;
  delivered: number;
  /** Share delivered within 0-7, 7-15, 16-30, 31-60, 60+ days. */
  ranges: [number, number, number, number, number];
}

export interface AirCargoEvent {
  plannedAt: string | null;
  actualAt: string | null;
  event: string | null;
  station: string | null;
  flightNumber: string | null;
}

export interface AirCargoResult {
  trackNumber: string;
  weight: string | null;
  pieces: number | null;
  origin: string | null;
  destination: string | null;
  statusNumber: number | null;
  events: AirCargoEvent[];
}

export interface Carrier {
  code: string;
  name: string;
  phone?: string | null;
  homepage?: string | null;
  type?: string | null;
  picture?: string | null;
}
