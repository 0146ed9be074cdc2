import { appConfig } from "~/config.server";
import prisma from "~/db/client.server";
import { sqlParameterMarkers } from "~/db/sql.server";
import { getShopSettings } from "~/models/settings.server";
import { countDeadLetters, listDeadLetters, type DeadLetter } from "~/pipeline/queue/dead-letters.server";
import {
  countLateAndStalled,
  dailyDigest,
  type AttentionCounts,
  type DigestDay,
} from "~/models/delivery-promise/attention.server";
import { ATTENTION_LINKS, type AttentionKey } from "./list-filters";
import { problemOf, type ProblemKind } from "./problems";
import {
  LIST_STATUSES,
  countTrackingList,
  parseTrackingListQuery,
  type ListStatus,
} from "./trackings-list.server";

export const CHART_DAYS = 30;
const DAY_MS = 86_400_000;
// TrackingMore's quota is not here: the page asks for it after rendering (app.account-status),
// so a slow or unreachable TrackingMore never holds the dashboard.

export interface DashboardData {
  hasApiKey: boolean;
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

export async function getDashboard(shop: string, now = new Date()): Promise<DashboardData> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const days = Array.from({ length: CHART_DAYS }, (_, i) => today - (CHART_DAYS - 1 - i) * DAY_MS);

  // Counts as index range counts — (shop, status, …), (shop, syncState), (shop, createdAt) —
  // or capped, rather than GROUP BYs that would read all of a large shop's rows. On SQLite the
  // statements run one after another: each one saved counts.
  const settings = await getShopSettings(shop);
  const [statusCounts, attentionCounts, deletedByStatus, perDay, deadCounts, recentDead, delivery, digest] =
    await Promise.all([
      countByStatus(shop),
      // The list's own WHERE for each link, so the dashboard's number is the list's number, up to
      // COUNT_CAP ("1000+"). Stalled is the delivery card's count: the same rows (one definition,
      // attention.server.ts), counted once.
      Promise.all(
        ATTENTION_LINKS.map(({ key, search }) =>
          key === "stalled"
            ? null
            : countTrackingList(shop, {
                ...parseTrackingListQuery(new URLSearchParams(search), settings.stalledAfterDays),
                now,
              }),
        ),
      ),
      // Few rows, read through (shop, syncState); a GROUP BY here makes SQLite walk the
      // (shop, status, …) index over every row of the shop to avoid a sort.
      prisma.tracking.findMany({ where: { shop, syncState: "deleted" }, select: { status: true } }),
      createdPerDay(shop, new Date(days[0])),
      countDeadLetters(shop),
      listDeadLetters(shop, RECENT_DEAD_LETTERS),
      countLateAndStalled(shop, now),
      dailyDigest(shop, now),
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
 * The shop's trackings of each status, in one statement of one COUNT per status: each counts a
 * range of the (shop, status, …) index without reading the rows. (Prisma's count selects the
 * rows' ids, which makes the database read every row: 40 ms of a 100,000-row shop's dashboard.)
 */
async function countByStatus(shop: string): Promise<number[]> {
  const markers = sqlParameterMarkers(LIST_STATUSES.length * 2);
  const counts = LIST_STATUSES.map(
    (_, i) =>
      `(SELECT COUNT(*) FROM "Tracking" WHERE "shop" = ${markers[2 * i]} AND "status" = ${markers[2 * i + 1]}) AS "n${i}"`,
  );
  const [row] = await prisma.$queryRawUnsafe<Record<string, bigint | number>[]>(
    `SELECT ${counts.join(", ")}`,
    ...LIST_STATUSES.flatMap((status) => [shop, status]),
  );
  return LIST_STATUSES.map((_, i) => Number(row[`n${i}`]));
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
          WHERE "shop" = ${shop} AND "createdAt" >= ${from.toISOString().replace("Z", "+00:00")} GROUP BY 1`;
  return new Map(rows.map((r) => [r.day, Number(r.n)]));
}
