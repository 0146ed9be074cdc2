import prisma, { type Prisma } from "~/db.server";
import {
  DEFAULT_STALLED_AFTER_DAYS,
  lateWhere,
  stalledAfterDays,
  stalledWhere,
} from "~/models/delivery-promise/attention.server";
import { PROMISE_VIEW_SELECT } from "~/models/delivery-promise/view";
import { TRACKING_STATUSES, type TrackingStatus } from "~/trackingmore/types";

// The merchant's list of trackings: filters, search and keyset ("cursor") pagination, so the
// hundredth page costs what the first does, with a hundred thousand rows per shop.

export const LIST_STATUSES = TRACKING_STATUSES;
export type ListStatus = TrackingStatus;

/** Sync states grouped as the merchant thinks of them. */
export const SYNC_GROUPS = {
  synced: ["synced"],
  pending: ["pending", "pending_update", "pending_delete"],
  attention: ["needs_attention", "needs_carrier", "waiting_api_key", "quota_paused"],
} as const;
export type SyncGroup = keyof typeof SYNC_GROUPS;

const ALL_SYNC_STATES = [
  "",
  ...SYNC_GROUPS.synced,
  ...SYNC_GROUPS.pending,
  ...SYNC_GROUPS.attention,
] as const;

export const VIEWS = ["all", "attention", "exceptions", "late", "stalled", "archived"] as const;
export type TrackingView = (typeof VIEWS)[number];

export const SORT_FIELDS = [
  "createdAt",
  "trackingNumber",
  "status",
  "updatedAt",
  "estimatedDeliveryAt",
  "lastEventAt",
] as const;
export type SortField = (typeof SORT_FIELDS)[number];
const DATE_SORTS: readonly SortField[] = ["createdAt", "updatedAt", "estimatedDeliveryAt", "lastEventAt"];
/** Sorts on columns that may be empty: the list then holds the rows that have a value. */
const NULLABLE_SORTS = ["estimatedDeliveryAt", "lastEventAt"] as const;
/**
 * The late and stalled views read newest first by the date that made them late or stalled,
 * unless the merchant chose a sort: an index serves that order, where "newest created" would
 * sort every late parcel of a shop with a backlog.
 */
const VIEW_SORTS: Partial<Record<TrackingView, SortField>> = {
  late: "estimatedDeliveryAt",
  stalled: "lastEventAt",
};

export interface TrackingListQuery {
  view: TrackingView;
  search: string;
  statuses: ListStatus[];
  carrier: string;
  archived: "any" | "yes" | "no";
  sync: SyncGroup | "";
  /** One exact sync state (the dashboard's "needs attention" links). */
  syncState: string;
  createdFrom: string;
  createdTo: string;
  sort: SortField;
  direction: "asc" | "desc";
  after: string | null;
  before: string | null;
  limit: number;
  /** The shop's setting, for the stalled view (the loader fills it in). */
  stalledAfterDays: number;
}

export const PAGE_SIZE = 50;

const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the list's URL parameters; anything unknown falls back to the default. */
export function parseTrackingListQuery(params: URLSearchParams): TrackingListQuery {
  const statuses = (params.get("status") ?? "")
    .split(",")
    .filter((s): s is ListStatus => (LIST_STATUSES as readonly string[]).includes(s));
  const limit = Number(params.get("limit"));
  return {
    view: pick(params.get("view"), VIEWS, "all"),
    search: (params.get("q") ?? "").trim().slice(0, 100),
    statuses,
    carrier: (params.get("carrier") ?? "").trim().toLowerCase().slice(0, 60),
    archived: pick(params.get("archived"), ["any", "yes", "no"] as const, "no"),
    sync: pick(params.get("sync"), ["", "synced", "pending", "attention"] as const, ""),
    syncState: pick(params.get("state"), ALL_SYNC_STATES, "" as (typeof ALL_SYNC_STATES)[number]),
    createdFrom: DATE.test(params.get("from") ?? "") ? params.get("from")! : "",
    createdTo: DATE.test(params.get("to") ?? "") ? params.get("to")! : "",
    sort: pick(
      params.get("sort"),
      SORT_FIELDS,
      VIEW_SORTS[pick(params.get("view"), VIEWS, "all")] ?? "createdAt",
    ),
    direction: pick(params.get("dir"), ["asc", "desc"] as const, "desc"),
    after: params.get("after"),
    before: params.get("before"),
    limit: Number.isInteger(limit) && limit > 0 && limit <= 250 ? limit : PAGE_SIZE,
    stalledAfterDays: DEFAULT_STALLED_AFTER_DAYS,
  };
}

/** The WHERE of a list query: the shop always, then the view, the filters and the search. */
export function trackingListWhere(
  shop: string,
  query: TrackingListQuery,
  now = new Date(),
): Prisma.TrackingWhereInput {
  const and: Prisma.TrackingWhereInput[] = [{ shop }, { syncState: { not: "deleted" } }];
  if (query.view === "late") and.push(lateWhere(now));
  if (query.view === "stalled") and.push(stalledWhere(query.stalledAfterDays, now));
  // Sorted by the estimate or the last event: the parcels that have one (a keyset cannot step
  // over nulls).
  for (const field of NULLABLE_SORTS) if (query.sort === field) and.push({ [field]: { not: null } });
  if (query.view === "attention") and.push({ syncState: { in: [...SYNC_GROUPS.attention] } });
  if (query.view === "exceptions") and.push({ status: { in: ["exception", "undelivered"] } });
  // Like Shopify's own lists, archived trackings are hidden unless asked for.
  const archived = query.view === "archived" ? "yes" : query.archived;
  if (archived === "yes") and.push({ archived: true });
  if (archived === "no") and.push({ archived: false });
  if (query.statuses.length > 0) and.push({ status: { in: query.statuses } });
  if (query.carrier) and.push({ carrierCode: query.carrier });
  if (query.syncState) and.push({ syncState: query.syncState });
  if (query.sync) and.push({ syncState: { in: [...SYNC_GROUPS[query.sync]] } });
  if (query.createdFrom) and.push({ createdAt: { gte: new Date(`${query.createdFrom}T00:00:00Z`) } });
  if (query.createdTo)
    and.push({ createdAt: { lt: new Date(Date.parse(`${query.createdTo}T00:00:00Z`) + 86_400_000) } });
  if (query.search) {
    const q = query.search;
    // Prefixes as ranges (>= q and < q + U+FFFF): a B-tree range on both databases, where LIKE
    // 'q%' would not use the (shop, trackingNumber) / (shop, orderName) indexes. The customer
    // name matches anywhere in the name, so that part reads the shop's rows in list order until
    // a page is full.
    const prefix = (field: "trackingNumber" | "orderName" | "customerEmail", value: string) => ({
      [field]: { gte: value, lt: `${value}\uffff` },
    });
    const name = q.startsWith("#") ? q : `#${q}`;
    and.push({
      OR: [
        prefix("trackingNumber", q),
        ...(q.toUpperCase() !== q ? [prefix("trackingNumber", q.toUpperCase())] : []),
        prefix("orderName", name),
        prefix("customerEmail", q.toLowerCase()),
        // Names hold no digits: a query with one is a number, an order or an email, and then the
        // search stays on the indexes.
        ...(/\d/.test(q) ? [] : [{ customerName: { contains: q } }]),
      ],
    });
  }
  return { AND: and };
}

type Cursor = { v: string | number; id: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function decodeCursor(value: string | null): Cursor | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Cursor;
    return typeof parsed.id === "string" ? parsed : null;
  } catch {
    return null;
  }
}

function cursorValue(row: TrackingListRow, sort: SortField): string | number {
  const value = row[sort];
  return value instanceof Date ? value.getTime() : (value as string);
}

function keysetAfter(sort: SortField, direction: "asc" | "desc", cursor: Cursor): Prisma.TrackingWhereInput {
  const value = DATE_SORTS.includes(sort) ? new Date(Number(cursor.v)) : String(cursor.v);
  const strict = direction === "desc" ? "lt" : "gt";
  const inclusive = direction === "desc" ? "lte" : "gte";
  // "(sort, id) after the cursor", written so the first part is a plain range the index can
  // seek to; the OR only decides the ties.
  return {
    AND: [
      { [sort]: { [inclusive]: value } },
      { OR: [{ [sort]: { [strict]: value } }, { id: { [strict]: cursor.id } }] },
    ],
  };
}

export const LIST_SELECT = {
  id: true,
  trackingNumber: true,
  carrierCode: true,
  orderId: true,
  orderName: true,
  customerName: true,
  customerEmail: true,
  status: true,
  substatus: true,
  lastEvent: true,
  lastEventAt: true,
  archived: true,
  syncState: true,
  lastError: true,
  createdAt: true,
  updatedAt: true,
  estimatedDeliveryAt: true,
  promise: { select: PROMISE_VIEW_SELECT },
} satisfies Prisma.TrackingSelect;

export type TrackingListRow = Prisma.TrackingGetPayload<{ select: typeof LIST_SELECT }>;

export interface TrackingListPage {
  rows: TrackingListRow[];
  nextCursor: string | null;
  previousCursor: string | null;
}

export async function listTrackings(shop: string, asked: TrackingListQuery): Promise<TrackingListPage> {
  const query =
    asked.view === "stalled" ? { ...asked, stalledAfterDays: await stalledAfterDays(shop) } : asked;
  const backwards = Boolean(query.before) && !query.after;
  const cursor = decodeCursor(backwards ? query.before : query.after);
  // Going back reads the page before the cursor in reverse order, then flips it.
  const direction = backwards ? (query.direction === "desc" ? "asc" : "desc") : query.direction;
  const where = trackingListWhere(shop, query);
  if (cursor) (where.AND as Prisma.TrackingWhereInput[]).push(keysetAfter(query.sort, direction, cursor));
  const found = await prisma.tracking.findMany({
    where,
    select: LIST_SELECT,
    orderBy: [{ [query.sort]: direction }, { id: direction }],
    take: query.limit + 1,
  });
  const more = found.length > query.limit;
  const rows = found.slice(0, query.limit);
  if (backwards) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const hasNext = backwards ? Boolean(cursor) : more;
  const hasPrevious = backwards ? more : Boolean(cursor);
  return {
    rows,
    nextCursor: hasNext && last ? encodeCursor({ v: cursorValue(last, query.sort), id: last.id }) : null,
    previousCursor:
      hasPrevious && first ? encodeCursor({ v: cursorValue(first, query.sort), id: first.id }) : null,
  };
}

/**
 * The carriers the shop's trackings use, for the carrier filter: a loose index scan of
 * (shop, carrierCode, trackingNumber), one seek per distinct carrier, instead of reading every row.
 */
export async function listShopCarriers(shop: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ code: string | null }[]>`
    WITH RECURSIVE carriers(code, n) AS (
      SELECT (SELECT MIN("carrierCode") FROM "Tracking" WHERE "shop" = ${shop} AND "carrierCode" > ''), 1
      UNION ALL
      SELECT (SELECT MIN("carrierCode") FROM "Tracking" WHERE "shop" = ${shop} AND "carrierCode" > carriers.code), n + 1
      FROM carriers WHERE carriers.code IS NOT NULL AND n < 100
    )
    SELECT code FROM carriers WHERE code IS NOT NULL`;
  return rows.map((r) => r.code!);
}

const CSV_COLUMNS = [
  "trackingNumber",
  "carrierCode",
  "orderName",
  "customerName",
  "customerEmail",
  "status",
  "lastEvent",
  "archived",
  "syncState",
  "createdAt",
  "estimatedDeliveryAt",
] as const;

function csvCell(value: unknown): string {
  const text =
    value instanceof Date ? value.toISOString() : value === null || value === undefined ? "" : String(value);
  // Cells starting with =, +, - or @ would run as formulas in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Every row the filters select (not only the page), as CSV, read in keyset pages. */
export async function* exportTrackingsCsv(shop: string, query: TrackingListQuery): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(",")}\n`;
  let after: string | null = null;
  for (;;) {
    const page = await listTrackings(shop, { ...query, after, before: null, limit: 500 });
    if (page.rows.length > 0) {
      yield page.rows.map((row) => CSV_COLUMNS.map((c) => csvCell(row[c])).join(",")).join("\n") + "\n";
    }
    if (!page.nextCursor) return;
    after = page.nextCursor;
  }
}
