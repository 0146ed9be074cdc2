import { appConfig } from "~/config.server";
import prisma from "~/db.server";
import { getShopSettings } from "~/models/settings.server";
import {
  countLateAndStalled,
  dailyDigest,
  type AttentionCounts,
  type DigestDay,
} from "~/models/delivery-promise/attention.server";
import { trackingMoreClientForShop } from "~/trackingmore.server";
import { LIST_STATUSES, type ListStatus } from "./trackings-list.server";

export const CHART_DAYS = 30;
const DAY_MS = 86_400_000;
// The dashboard does not wait longer than this for TrackingMore's user info.
const QUOTA_WAIT_MS = 3_000;

export interface DashboardData {
  hasApiKey: boolean;
  total: number;
  byStatus: { status: ListStatus; count: number }[];
  createdPerDay: { day: string; count: number }[];
  attention: {
    exceptions: number;
    failedAttempts: number;
    waitingApiKey: number;
    quotaPaused: number;
    needsCarrier: number;
    needsAttention: number;
    pendingSync: number;
  };
  /** null when TrackingMore could not be asked (no key, or it did not answer). */
  quotaRemaining: number | null;
  /** Parcels past their estimate or without carrier news for the shop's number of days. */
  delivery: AttentionCounts;
  /** The last week's newly late and stalled parcels, newest day first. */
  digest: DigestDay[];
}

const SYNC_STATES_SHOWN = [
  "waiting_api_key",
  "quota_paused",
  "needs_carrier",
  "needs_attention",
  "pending_update",
  "pending_delete",
] as const;

export async function getDashboard(shop: string, now = new Date()): Promise<DashboardData> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const days = Array.from({ length: CHART_DAYS }, (_, i) => today - (CHART_DAYS - 1 - i) * DAY_MS);

  // Counts as index range counts — (shop, status, createdAt), (shop, syncState), (shop,
  // createdAt) — rather than GROUP BYs that would read all of a large shop's rows.
  const [settings, statusCounts, syncCounts, deletedByStatus, perDay, quotaRemaining, delivery, digest] =
    await Promise.all([
      getShopSettings(shop),
      Promise.all(LIST_STATUSES.map((status) => prisma.tracking.count({ where: { shop, status } }))),
      Promise.all(
        SYNC_STATES_SHOWN.map((syncState) => prisma.tracking.count({ where: { shop, syncState } })),
      ),
      // Few rows, read through (shop, syncState); a GROUP BY here makes SQLite walk the
      // (shop, status, …) index over every row of the shop to avoid a sort.
      prisma.tracking.findMany({ where: { shop, syncState: "deleted" }, select: { status: true } }),
      createdPerDay(shop, new Date(days[0])),
      remainingQuota(shop),
      countLateAndStalled(shop, now),
      dailyDigest(shop, now),
    ]);

  const deleted = new Map<string, number>();
  for (const row of deletedByStatus) deleted.set(row.status, (deleted.get(row.status) ?? 0) + 1);
  const byStatus = LIST_STATUSES.map((status, i) => ({
    status,
    count: statusCounts[i] - (deleted.get(status) ?? 0),
  }));
  const statusCount = new Map(byStatus.map((s) => [s.status as string, s.count]));
  const sync = (state: (typeof SYNC_STATES_SHOWN)[number]) => syncCounts[SYNC_STATES_SHOWN.indexOf(state)];
  return {
    hasApiKey: settings.hasApiKey,
    total: byStatus.reduce((sum, s) => sum + s.count, 0),
    byStatus,
    createdPerDay: days.map((start) => {
      const day = new Date(start).toISOString().slice(0, 10);
      return { day, count: perDay.get(day) ?? 0 };
    }),
    attention: {
      exceptions: statusCount.get("exception") ?? 0,
      failedAttempts: statusCount.get("undelivered") ?? 0,
      waitingApiKey: sync("waiting_api_key"),
      quotaPaused: sync("quota_paused"),
      needsCarrier: sync("needs_carrier"),
      needsAttention: sync("needs_attention"),
      pendingSync: sync("pending_update") + sync("pending_delete"),
    },
    quotaRemaining,
    delivery,
    digest,
  };
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

async function remainingQuota(shop: string): Promise<number | null> {
  const client = await trackingMoreClientForShop(shop);
  if (!client) return null;
  try {
    const timeout = new Promise<null>((resolve) => setTimeout(resolve, QUOTA_WAIT_MS, null).unref());
    const info = await Promise.race([client.getUserInfo(), timeout]);
    return info ? info.remainingQuota : null;
  } catch {
    // The dashboard still shows our own numbers when TrackingMore is slow or down.
    return null;
  }
}
