import { appConfig } from "~/config.server";
import prisma, { type Prisma } from "~/db/client.server";
import { sqlDateTime } from "~/db/sql.server";
import { getShopSettings } from "~/models/settings.server";
import { IN_TRANSIT_STATUSES } from "./derive.server";

// Stalled and late shipments, read at query time from the tracking rows (time passing changes
// them, not any event). Stalled — the list's "Stalled" view, the dashboard's counts and the
// digest — is defined once, here: still on its way, and no carrier event (before the first one,
// no creation) for the shop's `stalledAfterDays` (app/models/settings.server.ts). Late = still in
// the carrier's hands after the estimate's upper bound.

const DAY_MS = 86_400_000;
/** The digest lists the last this many days. */
export const DIGEST_DAYS = 7;
const DIGEST_ROWS = 50;

/** The statuses of a parcel that can stall: on its way, and not an exception (its own view). */
export const STALLED_STATUSES = ["pending", "notfound", "transit", "pickup"] as const;

/** The moment before which a parcel's last news (or its creation, before any) makes it stalled. */
function stalledCutoff(stalledAfterDays: number, now: Date): Date {
  return new Date(now.getTime() - stalledAfterDays * DAY_MS);
}

/**
 * The stalled rows as two ranges: each is read on (shop, status, lastEventAt) or (shop, status,
 * createdAt), where their OR would read every parcel on its way.
 */
export function stalledBranches(stalledAfterDays: number, now: Date): Prisma.TrackingWhereInput[] {
  const cutoff = stalledCutoff(stalledAfterDays, now);
  const status = { in: [...STALLED_STATUSES] };
  return [
    { status, lastEventAt: { lt: cutoff } },
    { status, lastEventAt: null, createdAt: { lt: cutoff } },
  ];
}

/**
 * The same rows as stalledBranches, written so that no index can serve the condition (NOT of
 * the complement): SQLite then reads the shop's rows in the list's order and stops when a page
 * is full. With thousands of stalled parcels that is what a page should cost, where SQLite's
 * planner would otherwise collect every stalled parcel through (shop, status, lastEventAt) and
 * sort them all (it does not weigh the LIMIT). With few, the branches are cheaper: see
 * hasManyStalled.
 */
export function stalledScanWhere(stalledAfterDays: number, now: Date): Prisma.TrackingWhereInput {
  const cutoff = stalledCutoff(stalledAfterDays, now);
  return {
    AND: [
      { NOT: { status: { notIn: [...STALLED_STATUSES] } } },
      // NOT (lastEventAt >= cutoff) is false for a parcel without events: the second branch.
      { OR: [{ NOT: { lastEventAt: { gte: cutoff } } }, { lastEventAt: null, createdAt: { lt: cutoff } }] },
    ],
  };
}

const open: Prisma.TrackingWhereInput = {
  archived: false,
  syncState: { not: "deleted" },
};

export function lateWhere(now: Date): Prisma.TrackingWhereInput {
  return { ...open, status: { in: [...IN_TRANSIT_STATUSES] }, estimatedDeliveryAt: { lt: now } };
}

/**
 * Counts stop here: past it the dashboard says "1000+". A shop with a backlog of old parcels
 * in transit would otherwise make every dashboard view read all of them.
 */
export const COUNT_CAP = 1000;

export interface AttentionCounts {
  stalled: number;
  late: number;
  stalledAfterDays: number;
  /** Counts equal to it mean "at least". */
  cap: number;
}

/**
 * COUNT over a LIMITed subquery, in SQL: Prisma's own count-with-take reads ten times slower
 * on SQLite here (measured in the admin bench's database), which the dashboard cannot afford.
 */
async function cappedCount(shop: string, kind: "late" | "stalled", before: Date) {
  // Dates as each database stores them (SQLite: ISO text); values only as parameters.
  const at = appConfig().databaseProvider === "postgresql" ? before : sqlDateTime(before);
  const [s1, s2, s3, s4] = kind === "late" ? IN_TRANSIT_STATUSES : STALLED_STATUSES;
  const rows =
    kind === "stalled"
      ? await prisma.$queryRaw<{ n: bigint | number }[]>`
          SELECT COUNT(*) AS n FROM (
            SELECT 1 FROM "Tracking"
            WHERE "shop" = ${shop} AND "archived" = ${false} AND "syncState" <> ${"deleted"}
              AND "status" IN (${s1}, ${s2}, ${s3}, ${s4})
              AND ("lastEventAt" < ${at} OR ("lastEventAt" IS NULL AND "createdAt" < ${at}))
            LIMIT ${COUNT_CAP}
          ) AS capped`
      : await prisma.$queryRaw<{ n: bigint | number }[]>`
          SELECT COUNT(*) AS n FROM (
            SELECT 1 FROM "Tracking"
            WHERE "shop" = ${shop} AND "archived" = ${false} AND "syncState" <> ${"deleted"}
              AND "status" IN (${s1}, ${s2}, ${s3}, ${s4}) AND "estimatedDeliveryAt" < ${at}
            LIMIT ${COUNT_CAP}
          ) AS capped`;
  return Number(rows[0]?.n ?? 0);
}

/** Whether the shop has COUNT_CAP or more stalled parcels (the list then reads them in order). */
export async function hasManyStalled(shop: string, stalledAfterDays: number, now: Date): Promise<boolean> {
  return (await cappedCount(shop, "stalled", stalledCutoff(stalledAfterDays, now))) >= COUNT_CAP;
}

/** `stalledAfterDays`: the shop's setting, when the caller has read it already. */
export async function countLateAndStalled(
  shop: string,
  now = new Date(),
  stalledAfterDays?: number,
): Promise<AttentionCounts> {
  const days = stalledAfterDays ?? (await getShopSettings(shop)).stalledAfterDays;
  const [stalled, late] = await Promise.all([
    cappedCount(shop, "stalled", stalledCutoff(days, now)),
    cappedCount(shop, "late", now),
  ]);
  return { stalled, late, stalledAfterDays: days, cap: COUNT_CAP };
}

export interface DigestParcel {
  id: string;
  trackingNumber: string;
  carrierCode: string;
  orderName: string | null;
  status: string;
  reason: "late" | "stalled";
  /** When it became late (the estimate's upper bound) or stalled (last event + N days). */
  since: string;
}

export interface DigestDay {
  day: string;
  parcels: DigestParcel[];
}

/**
 * The daily digest: per UTC day of the last week, the parcels that became late or stalled that
 * day and still are. Computed from the rows, so it needs no mail server and no job.
 */
export async function dailyDigest(
  shop: string,
  now = new Date(),
  stalledAfterDays?: number,
): Promise<DigestDay[]> {
  const days = stalledAfterDays ?? (await getShopSettings(shop)).stalledAfterDays;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - (DIGEST_DAYS - 1) * DAY_MS);
  const select = {
    id: true,
    trackingNumber: true,
    carrierCode: true,
    orderName: true,
    status: true,
    lastEventAt: true,
    estimatedDeliveryAt: true,
  } as const;
  const [late, stalled] = await Promise.all([
    prisma.tracking.findMany({
      where: { shop, ...lateWhere(now), estimatedDeliveryAt: { gte: since, lt: now } },
      orderBy: { estimatedDeliveryAt: "desc" },
      take: DIGEST_ROWS,
      select,
    }),
    prisma.tracking.findMany({
      where: {
        shop,
        ...open,
        status: { in: [...STALLED_STATUSES] },
        lastEventAt: {
          gte: stalledCutoff(days, since),
          lt: stalledCutoff(days, now),
        },
      },
      orderBy: { lastEventAt: "desc" },
      take: DIGEST_ROWS,
      select,
    }),
  ]);
  const parcels: DigestParcel[] = [
    ...late.map((t) => ({
      ...pick(t),
      reason: "late" as const,
      since: t.estimatedDeliveryAt!.toISOString(),
    })),
    ...stalled.map((t) => ({
      ...pick(t),
      reason: "stalled" as const,
      since: new Date(t.lastEventAt!.getTime() + days * DAY_MS).toISOString(),
    })),
  ];
  const out: DigestDay[] = [];
  for (let d = today; d >= since.getTime(); d -= DAY_MS) {
    const day = new Date(d).toISOString().slice(0, 10);
    out.push({
      day,
      parcels: parcels
        .filter((p) => p.since.slice(0, 10) === day)
        .sort((a, b) => b.since.localeCompare(a.since)),
    });
  }
  return out;
}

function pick(t: {
  id: string;
  trackingNumber: string;
  carrierCode: string;
  orderName: string | null;
  status: string;
}) {
  return {
    id: t.id,
    trackingNumber: t.trackingNumber,
    carrierCode: t.carrierCode,
    orderName: t.orderName,
    status: t.status,
  };
}
