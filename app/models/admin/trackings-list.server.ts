import { appConfig } from "~/config.server";
import prisma, { type Prisma } from "~/db/client.server";
import { DEFAULT_STALLED_AFTER_DAYS } from "~/models/settings.server";
import {
  COUNT_CAP,
  hasManyStalled,
  lateWhere,
  stalledBranches,
  stalledScanWhere,
} from "~/models/delivery-promise/attention.server";
import { PROMISE_VIEW_SELECT } from "~/models/delivery-promise/view";
import { customerNameContains, customerNameMatches } from "./name-search.server";
import { TRACKING_STATUSES, type TrackingStatus } from "~/trackingmore/types";
import {
  NEEDS_ATTENTION,
  SYNC_FILTER_VALUES,
  SYNC_GROUPS,
  VIEWS,
  type SyncFilter,
  type TrackingView,
} from "./list-filters";

// The merchant's list of trackings: filters, search and keyset ("cursor") pagination, so the
// hundredth page costs what the first does, with a hundred thousand rows per shop.

export const LIST_STATUSES = TRACKING_STATUSES;
export type ListStatus = TrackingStatus;

export { SYNC_GROUPS, VIEWS, type SyncGroup, type TrackingView } from "./list-filters";

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
 * The late view reads newest first by the estimate that made it late, unless the merchant chose
 * a sort: an index serves that order, where "newest created" would sort every late parcel of a
 * shop with a backlog. (The stalled view keeps the creation order: it holds parcels that never
 * had a carrier event.)
 */
const VIEW_SORTS: Partial<Record<TrackingView, SortField>> = {
  late: "estimatedDeliveryAt",
};

export interface TrackingListQuery {
  view: TrackingView;
  search: string;
  statuses: ListStatus[];
  carrier: string;
  archived: "any" | "yes" | "no";
  /** A group of sync states ("attention") or one exact state ("waiting_api_key"). */
  sync: SyncFilter | "";
  createdFrom: string;
  createdTo: string;
  sort: SortField;
  direction: "asc" | "desc";
  after: string | null;
  before: string | null;
  limit: number;
  /** The shop's setting, for the "stalled" view. */
  stalledAfterDays: number;
  /** The instant "stalled" is measured from (tests fix it). */
  now?: Date;
}

export const PAGE_SIZE = 50;

const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the list's URL parameters; anything unknown falls back to the default. */
export function parseTrackingListQuery(
  params: URLSearchParams,
  stalledAfterDays = DEFAULT_STALLED_AFTER_DAYS,
): TrackingListQuery {
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
    // `state=` is what older links (and bookmarks) used for one exact state.
    sync: pick(params.get("sync") ?? params.get("state"), SYNC_FILTER_VALUES, ""),
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
    stalledAfterDays,
  };
}

/** The rows in any of these sync states, counting a dead-lettered row as "needs attention". */
function inSyncStates(states: readonly string[]): Prisma.TrackingWhereInput {
  const plain = states.filter((s) => s !== NEEDS_ATTENTION);
  const live = { syncState: { in: plain }, deadAt: null };
  if (!states.includes(NEEDS_ATTENTION)) return live;
  return plain.length > 0 ? { OR: [live, { deadAt: { not: null } }] } : { deadAt: { not: null } };
}

/** The state a merchant sees: a dead-lettered row needs attention. */
export function displaySyncState(row: { syncState: string; deadAt: Date | null }): string {
  return row.deadAt ? NEEDS_ATTENTION : row.syncState;
}

/**
 * How the WHERE is written for the database's planner; the rows are the same either way.
 * `nameMatches`: the customer-name search's matches from the search index (name-search.server.ts);
 * without them names are matched by reading the rows. `stalledInOrder`: the stalled view as a
 * condition no index serves (stalledScanWhere), for shops with many stalled parcels.
 */
export interface ListPlan {
  nameMatches?: string[] | null;
  stalledInOrder?: boolean;
}

/** Chooses the ListPlan for a query: each choice costs one small indexed query. */
async function planList(shop: string, query: TrackingListQuery): Promise<ListPlan> {
  const [nameMatches, stalledInOrder] = await Promise.all([
    // Names hold no digits (see trackingListWhere).
    query.search && !/\d/.test(query.search) ? customerNameMatches(shop, query.search) : null,
    // PostgreSQL's planner weighs the LIMIT and reads in order by itself.
    query.view === "stalled" && appConfig().databaseProvider === "sqlite"
      ? hasManyStalled(shop, query.stalledAfterDays, query.now ?? new Date())
      : false,
  ]);
  return { nameMatches, stalledInOrder };
}

/** The WHERE of a list query: the shop always, then the view, the filters and the search. */
export function trackingListWhere(
  shop: string,
  query: TrackingListQuery,
  { nameMatches = null, stalledInOrder = false }: ListPlan = {},
): Prisma.TrackingWhereInput {
  const and: Prisma.TrackingWhereInput[] = [{ shop }, { syncState: { not: "deleted" } }];
  if (query.view === "late") and.push(lateWhere(query.now ?? new Date()));
  // Sorted by the estimate or the last event: the parcels that have one (a keyset cannot step
  // over nulls).
  for (const field of NULLABLE_SORTS) if (query.sort === field) and.push({ [field]: { not: null } });
  if (query.view === "attention") and.push(inSyncStates(SYNC_GROUPS.attention));
  if (query.view === "exceptions") and.push({ status: { in: ["exception", "undelivered"] } });
  if (query.view === "stalled") {
    const now = query.now ?? new Date();
    and.push(
      stalledInOrder
        ? stalledScanWhere(query.stalledAfterDays, now)
        : { OR: stalledBranches(query.stalledAfterDays, now) },
    );
  }
  // Like Shopify's own lists, archived trackings are hidden unless asked for.
  const archived = query.view === "archived" ? "yes" : query.archived;
  if (archived === "yes") and.push({ archived: true });
  if (archived === "no") and.push({ archived: false });
  if (query.statuses.length > 0) and.push({ status: { in: query.statuses } });
  if (query.carrier) and.push({ carrierCode: query.carrier });
  if (query.sync) {
    and.push(
      inSyncStates(
        query.sync in SYNC_GROUPS ? SYNC_GROUPS[query.sync as keyof typeof SYNC_GROUPS] : [query.sync],
      ),
    );
  }
  if (query.createdFrom) and.push({ createdAt: { gte: new Date(`${query.createdFrom}T00:00:00Z`) } });
  if (query.createdTo)
    and.push({ createdAt: { lt: new Date(Date.parse(`${query.createdTo}T00:00:00Z`) + 86_400_000) } });
  if (query.search) {
    const q = query.search;
    // Prefixes as ranges (>= q and < q + U+FFFF): a B-tree range on both databases, where LIKE
    // 'q%' would not use the (shop, trackingNumber) / (shop, orderName) indexes. The customer
    // name matches anywhere in the name: the search index's ids when it answered, else that
    // part reads the shop's rows in list order until a page is full.
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
        ...(/\d/.test(q) ? [] : [nameMatches ? { id: { in: nameMatches } } : customerNameContains(q)]),
      ],
    });
  }
  return { AND: and };
}

/**
 * The order a capped count reads in. Without one Prisma's count-with-take sorts every matching
 * row by id first. PostgreSQL: the list's own order — its planner weighs the LIMIT and chooses
 * between reading in that order and sorting the few matches. SQLite's does not: there the
 * order of the index that selects the rows — (shop, syncState) for a sync filter, (shop,
 * status, …) for a status — so the count stops after `cap` rows whether the rows are many or
 * none (in creation order a filter matching nothing would read the whole shop).
 */
function countOrder(query: TrackingListQuery): SortField | "syncState" {
  if (appConfig().databaseProvider === "postgresql") return query.sort;
  if (query.sync || query.view === "attention") return "syncState";
  if (query.statuses.length > 0 || query.view === "exceptions") return "status";
  return query.sort;
}

/**
 * How many rows the list shows for a query (all pages), up to `cap`, so a shop with a backlog
 * costs what a small one does.
 */
export async function countTrackingList(
  shop: string,
  query: TrackingListQuery,
  cap = COUNT_CAP,
): Promise<number> {
  return prisma.tracking.count({
    where: trackingListWhere(shop, query, await planList(shop, query)),
    orderBy: { [countOrder(query)]: "asc" },
    take: cap,
  });
}

/**
 * Days on the way: TrackingMore's count when it gave one, else from the tracking's creation to
 * its last event (finished parcels) or to now.
 */
export function listDaysInTransit(row: TrackingListRow, now: Date): number {
  if (row.transitDays !== null) return row.transitDays;
  const finished = (row.status === "delivered" || row.status === "expired") && row.lastEventAt;
  const end = finished ? row.lastEventAt!.getTime() : now.getTime();
  return Math.max(0, Math.floor((end - row.createdAt.getTime()) / 86_400_000));
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
  title: true,
  customerName: true,
  customerEmail: true,
  status: true,
  substatus: true,
  lastEvent: true,
  lastEventAt: true,
  transitDays: true,
  archived: true,
  syncState: true,
  deadAt: true,
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

export async function listTrackings(shop: string, query: TrackingListQuery): Promise<TrackingListPage> {
  const backwards = Boolean(query.before) && !query.after;
  const cursor = decodeCursor(backwards ? query.before : query.after);
  // Going back reads the page before the cursor in reverse order, then flips it.
  const direction = backwards ? (query.direction === "desc" ? "asc" : "desc") : query.direction;
  const where = trackingListWhere(shop, query, await planList(shop, query));
  if (cursor) (where.AND as Prisma.TrackingWhereInput[]).push(keysetAfter(query.sort, direction, cursor));
  const found = await prisma.tracking.findMany({
    where,
    select: LIST_SELECT,
    orderBy: [{ [query.sort]: direction }, { id: direction }],
    take: query.limit + 1,
  });
  const more = found.length > query.limit;
  const rows = found.slice(0, query.limit).map((row) => ({ ...row, syncState: displaySyncState(row) }));
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

/** What the export writes in a merchant's words: translated headers and values, carrier names. */
export interface CsvWords {
  header(column: CsvColumn): string;
  status(status: string): string;
  sync(syncState: string): string;
  yesNo(value: boolean): string;
  carrier(code: string): string;
  dateTime(value: Date | null): string;
}

export const CSV_COLUMNS = [
  "trackingNumber",
  "carrier",
  "orderName",
  "title",
  "customerName",
  "customerEmail",
  "status",
  "lastEvent",
  "lastUpdate",
  "archived",
  "sync",
  "createdAt",
  "estimatedDeliveryAt",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

function csvValue(row: TrackingListRow, column: CsvColumn, words: CsvWords): string {
  switch (column) {
    case "carrier":
      return row.carrierCode ? words.carrier(row.carrierCode) : "";
    case "status":
      return words.status(row.status);
    case "sync":
      return words.sync(displaySyncState(row));
    case "archived":
      return words.yesNo(row.archived);
    case "lastUpdate":
      return words.dateTime(row.lastEventAt);
    case "createdAt":
      return words.dateTime(row.createdAt);
    case "estimatedDeliveryAt":
      return words.dateTime(row.estimatedDeliveryAt);
    default:
      return row[column] ?? "";
  }
}

export function csvCell(text: string): string {
  // Cells starting with =, +, - or @ (or their full-width forms, or TAB or CR, after which
  // spreadsheets start a formula too) would run as formulas.
  const safe = /^[=+\-@\t\r＝＋－＠]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Every row the filters select (not only the page), as CSV, read in keyset pages. It starts with
 * a UTF-8 byte order mark: without it Excel reads the file as the system's code page and garbles
 * names and addresses outside ASCII.
 */
export async function* exportTrackingsCsv(
  shop: string,
  query: TrackingListQuery,
  words: CsvWords,
): AsyncGenerator<string> {
  yield `\uFEFF${CSV_COLUMNS.map((c) => csvCell(words.header(c))).join(",")}\r\n`;
  let after: string | null = null;
  for (;;) {
    const page = await listTrackings(shop, { ...query, after, before: null, limit: 500 });
    if (page.rows.length > 0) {
      yield (
        page.rows
          .map((row) => CSV_COLUMNS.map((c) => csvCell(csvValue(row, c, words))).join(","))
          .join("\r\n") + "\r\n"
      );
    }
    if (!page.nextCursor) return;
    after = page.nextCursor;
  }
}
