import { appConfig } from "~/config.server";
import prisma from "~/db/client.server";
import { selectScalars, sqlDateTime } from "~/db/sql.server";
import { DEFAULT_PERIOD, type DashboardPeriod } from "~/models/periods";
import { getShopSettings } from "~/models/settings.server";
import { countDeadLetters, listDeadLetters, type DeadLetter } from "~/pipeline/queue/dead-letters.server";
import {
  countLateAndStalled,
  dailyDigest,
  type AttentionCounts,
  type DigestDay,
} from "~/models/delivery-promise/attention.server";
import { SYNC_STATES } from "~/models/tracking-state";
import {
  ATTENTION_LINKS,
  NEEDS_ATTENTION,
  SYNC_GROUPS,
  type AttentionKey,
  type SyncGroup,
} from "./list-filters";
import { problemOf, type ProblemKind } from "./problems";
import {
  LIST_STATUSES,
  countTrackingList,
  parseTrackingListQuery,
  type ListStatus,
} from "./trackings-list.server";

const DAY_MS = 86_400_000;
// TrackingMore's quota is not here: the page asks for it after rendering (app.account-status),
// so a slow or unreachable TrackingMore never holds the dashboard.

export interface DashboardData {
  hasApiKey: boolean;
  /** Whether the shop has any tracking at all (the setup guide's import step). */
  hasTrackings: boolean;
  /** The period's length in days: the figures below count the trackings created in it. */
  period: DashboardPeriod;
  /**
   * The period's first UTC day (YYYY-MM-DD): the list counts the same trackings with `from=`
   * that day.
   */
  periodStart: string;
  total: number;
  byStatus: { status: ListStatus; count: number }[];
  createdPerDay: { day: string; count: number }[];
  /**
   * Each as the list counts the rows its link shows (see ATTENTION_LINKS), up to delivery.cap:
   * a count equal to it means "at least".
   */
  attention: Record<AttentionKey, number>;
  hasAccountEmail: boolean;
  /** What the pipeline gave up on (all stages), newest first, for the merchant to retry. */
  deadLetters: { total: number; recent: DeadLetterView[] };
  /** Parcels past their estimate or without carrier news for the shop's number of days. */
  delivery: AttentionCounts;
  /** The last week's newly late and stalled parcels, newest day first. */
  digest: DigestDay[];
}

const RECENT_DEAD_LETTERS = 10;

/** A dead letter as the merchant sees it: the reason as a problem kind, not the stored text. */
export type DeadLetterView = Omit<DeadLetter, "reason"> & { problem: ProblemKind | null };

export async function getDashboard(
  shop: string,
  { period = DEFAULT_PERIOD, now = new Date() }: { period?: DashboardPeriod; now?: Date } = {},
): Promise<DashboardData> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const days = Array.from({ length: period }, (_, i) => today - (period - 1 - i) * DAY_MS);

  // Counts as index range counts — (shop, status, createdAt), (shop, syncState), (shop,
  // createdAt) — or capped, rather than GROUP BYs that would read all of a large shop's rows.
  // The status and total figures are the period's, as the chart's: what the shop ships now, at
  // a cost that follows its recent volume rather than its history (a year of delivered parcels
  // would fill the bars and cost a count of every row). On SQLite the statements run one after
  // another: each one saved counts.
  const from = new Date(days[0]);
  const [settings, deadCounts, statesInUse] = await Promise.all([
    getShopSettings(shop),
    countDeadLetters(shop),
    syncStatesInUse(shop),
  ]);
  const deadTrackings = deadCounts.dispatch + deadCounts["change-push"];
  const [statusCounts, attentionCounts, deletedByStatus, perDay, recentDead, delivery, digest, anyTracking] =
    await Promise.all([
      countByStatus(shop, from),
      // The list's own WHERE for each link, so the dashboard's number is the list's number, up to
      // COUNT_CAP ("1000+"). Stalled is the delivery card's count: the same rows (one definition,
      // attention.server.ts), counted once. A sync link whose states no row of the shop is in
      // (most, in a healthy shop) is 0 without a count.
      Promise.all(
        ATTENTION_LINKS.map(({ key, search }) => {
          if (key === "stalled") return null;
          const query = parseTrackingListQuery(new URLSearchParams(search), settings.stalledAfterDays);
          if (query.sync && !syncFilterMayMatch(query.sync, statesInUse, deadTrackings)) return 0;
          return countTrackingList(shop, { ...query, now });
        }),
      ),
      // Few rows, read through (shop, syncState); a GROUP BY here makes SQLite walk the
      // (shop, status, …) index over every row of the shop to avoid a sort.
      prisma.tracking.findMany({
        where: { shop, syncState: "deleted", createdAt: { gte: from } },
        select: { status: true },
      }),
      createdPerDay(shop, from),
      // Most shops have none: the list is read only when there is something to list.
      deadCounts.total > 0 ? listDeadLetters(shop, RECENT_DEAD_LETTERS) : [],
      countLateAndStalled(shop, now, settings.stalledAfterDays),
      dailyDigest(shop, now, settings.stalledAfterDays),
      prisma.tracking.findFirst({ where: { shop, syncState: { not: "deleted" } }, select: { id: true } }),
    ]);

  const deleted = new Map<string, number>();
  for (const row of deletedByStatus) deleted.set(row.status, (deleted.get(row.status) ?? 0) + 1);
  const byStatus = LIST_STATUSES.map((status, i) => ({
    status,
    count: statusCounts[i] - (deleted.get(status) ?? 0),
  }));
  return {
    hasApiKey: settings.hasApiKey,
    hasAccountEmail: settings.hasAccountEmail,
    hasTrackings: anyTracking !== null,
    period,
    periodStart: from.toISOString().slice(0, 10),
    total: byStatus.reduce((sum, s) => sum + s.count, 0),
    byStatus,
    createdPerDay: days.map((start) => {
      const day = new Date(start).toISOString().slice(0, 10);
      return { day, count: perDay.get(day) ?? 0 };
    }),
    attention: Object.fromEntries(
      ATTENTION_LINKS.map(({ key }, i) => [key, attentionCounts[i] ?? delivery.stalled]),
    ) as Record<AttentionKey, number>,
    deadLetters: {
      total: deadCounts.total,
      recent: recentDead
        .slice(0, RECENT_DEAD_LETTERS)
        .map(({ reason, ...letter }) => ({ ...letter, problem: problemOf(reason) })),
    },
    delivery,
    digest,
  };
}

/**
 * The shop's trackings of each status created since `from`, in one statement of one COUNT per
 * status: each counts a range of the (shop, status, createdAt) index without reading the rows.
 * (Prisma's count selects the rows' ids, which makes the database read every row.)
 */
async function countByStatus(shop: string, from: Date): Promise<number[]> {
  return selectScalars(
    LIST_STATUSES.map(
      (status) => (param) =>
        `SELECT COUNT(*) FROM "Tracking" WHERE "shop" = ${param(shop)} AND "status" = ${param(status)} AND "createdAt" >= ${param(from)}`,
    ),
  );
}

/**
 * Trackings created per UTC day since `from`, in one pass over the (shop, createdAt) index.
 * SQLite stores Prisma's DateTime as ISO text (UTC), PostgreSQL as a timestamp.
 */
async function createdPerDay(shop: string, from: Date): Promise<Map<string, number>> {
  const rows =
    appConfig().databaseProvider === "postgresql"
      ? await prisma.$queryRaw<{ day: string; n: bigint | number }[]>`
          SELECT to_char("createdAt", 'YYYY-MM-DD') AS day, COUNT(*) AS n FROM "Tracking"
          WHERE "shop" = ${shop} AND "createdAt" >= ${from} GROUP BY 1`
      : await prisma.$queryRaw<{ day: string; n: bigint | number }[]>`
          SELECT substr("createdAt", 1, 10) AS day, COUNT(*) AS n FROM "Tracking"
          WHERE "shop" = ${shop} AND "createdAt" >= ${sqlDateTime(from)} GROUP BY 1`;
  return new Map(rows.map((r) => [r.day, Number(r.n)]));
}

/**
 * The sync states (app/models/tracking-state.ts) any of the shop's trackings is in: one
 * statement of index probes into (shop, syncState), each stopping at the first row.
 */
async function syncStatesInUse(shop: string): Promise<Set<string>> {
  const found = await selectScalars(
    SYNC_STATES.map(
      (state) => (param) =>
        `SELECT EXISTS (SELECT 1 FROM "Tracking" WHERE "shop" = ${param(shop)} AND "syncState" = ${param(state)})`,
    ),
  );
  return new Set(SYNC_STATES.filter((_, i) => found[i] === 1));
}

/**
 * Whether the list's sync filter can match a row: one of its states is in use, or it takes in
 * the dead-lettered trackings ("needs attention") and there are some. False means 0 rows; true
 * means the list's own count decides.
 */
function syncFilterMayMatch(sync: string, inUse: Set<string>, deadTrackings: number): boolean {
  const states: readonly string[] = sync in SYNC_GROUPS ? SYNC_GROUPS[sync as SyncGroup] : [sync];
  return states.some((state) => (state === NEEDS_ATTENTION ? deadTrackings > 0 : inUse.has(state)));
}
