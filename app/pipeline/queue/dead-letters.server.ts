import prisma from "~/db/client.server";
import { selectScalars } from "~/db/sql.server";

// What every stage gave up on, for one shop: the merchant's "needs attention" and the
// operator's `npm run shop -- dead-letters`, and the retry both offer. A retried item starts
// afresh (attempts 0, due now); the stage claims it like any other.

export const DEAD_LETTER_STAGES = ["ingest", "dispatch", "change-push", "write-back", "backfill"] as const;
export type DeadLetterStage = (typeof DEAD_LETTER_STAGES)[number];

export interface DeadLetter {
  stage: DeadLetterStage;
  /** The item's key in its stage's table. */
  id: string;
  /** What the item is, in the merchant's terms (a tracking number, a webhook topic…). */
  subject: string;
  reason: string | null;
  attempts: number;
  deadAt: Date;
}

const LIST_LIMIT = 100;

/** The shop's dead letters, newest first, at most `limit` per stage. */
export async function listDeadLetters(shop: string, limit = LIST_LIMIT): Promise<DeadLetter[]> {
  const dead = { shop, deadAt: { not: null } };
  const take = limit;
  const orderBy = { deadAt: "desc" } as const;
  const [deliveries, trackings, events, backfills] = await Promise.all([
    prisma.webhookDelivery.findMany({
      where: dead,
      orderBy,
      take,
      select: { webhookId: true, topic: true, lastError: true, attempts: true, deadAt: true },
    }),
    prisma.tracking.findMany({
      where: dead,
      orderBy,
      take,
      select: {
        id: true,
        trackingNumber: true,
        syncState: true,
        lastError: true,
        attempts: true,
        deadAt: true,
      },
    }),
    prisma.fulfillmentEventRecord.findMany({
      where: dead,
      orderBy,
      take,
      select: { id: true, status: true, trackingNumber: true, lastError: true, attempts: true, deadAt: true },
    }),
    prisma.backfillJob.findMany({
      where: dead,
      orderBy,
      take,
      select: { id: true, lastError: true, attempts: true, deadAt: true },
    }),
  ]);
  const letters: DeadLetter[] = [
    ...deliveries.map((d) => ({
      stage: "ingest" as const,
      id: d.webhookId,
      subject: d.topic,
      reason: d.lastError,
      attempts: d.attempts,
      deadAt: d.deadAt!,
    })),
    ...trackings.map((t) => ({
      stage: t.syncState === "pending" ? ("dispatch" as const) : ("change-push" as const),
      id: t.id,
      subject: t.trackingNumber,
      reason: t.lastError,
      attempts: t.attempts,
      deadAt: t.deadAt!,
    })),
    ...events.map((e) => ({
      stage: "write-back" as const,
      id: e.id,
      subject: e.trackingNumber ? `${e.status} ${e.trackingNumber}` : e.status,
      reason: e.lastError,
      attempts: e.attempts,
      deadAt: e.deadAt!,
    })),
    ...backfills.map((b) => ({
      stage: "backfill" as const,
      id: b.id,
      subject: "backfill",
      reason: b.lastError,
      attempts: b.attempts,
      deadAt: b.deadAt!,
    })),
  ];
  return letters.sort((a, b) => b.deadAt.getTime() - a.deadAt.getTime());
}

/**
 * How many items of the shop each stage gave up on: one statement of index range counts over
 * each table's (shop, deadAt) index (every page of the admin asks, through its banners).
 */
export async function countDeadLetters(
  shop: string,
): Promise<Record<DeadLetterStage, number> & { total: number }> {
  const counted: [DeadLetterStage, string, string][] = [
    ["ingest", "WebhookDelivery", ""],
    ["dispatch", "Tracking", `AND "syncState" = 'pending'`],
    ["change-push", "Tracking", `AND "syncState" <> 'pending'`],
    ["write-back", "FulfillmentEventRecord", ""],
    ["backfill", "BackfillJob", ""],
  ];
  const found = await selectScalars(
    counted.map(
      ([, table, also]) =>
        (param) =>
          `SELECT COUNT(*) FROM "${table}" WHERE "shop" = ${param(shop)} AND "deadAt" IS NOT NULL ${also}`,
    ),
  );
  const counts = Object.fromEntries(counted.map(([stage], i) => [stage, found[i]])) as Record<
    DeadLetterStage,
    number
  >;
  return { ...counts, total: Object.values(counts).reduce((sum, n) => sum + n, 0) };
}

/**
 * Puts the shop's dead letters (all, or those of `stage`, or the given ids) back in their
 * queues. Returns how many were retried. Another shop's ids change nothing.
 */
export async function retryDeadLetters(
  shop: string,
  { stage, ids, now = new Date() }: { stage?: DeadLetterStage; ids?: string[]; now?: Date } = {},
): Promise<number> {
  const fresh = {
    deadAt: null,
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    leaseOwner: null,
    leaseUntil: null,
  };
  const dead = { shop, deadAt: { not: null } };
  const wants = (s: DeadLetterStage) => !stage || stage === s;
  const results = await prisma.$transaction([
    ...(wants("ingest")
      ? [
          prisma.webhookDelivery.updateMany({
            where: { ...dead, ...(ids ? { webhookId: { in: ids } } : {}) },
            data: fresh,
          }),
        ]
      : []),
    ...(wants("dispatch") || wants("change-push")
      ? [
          prisma.tracking.updateMany({
            where: {
              ...dead,
              ...(ids ? { id: { in: ids } } : {}),
              ...(stage === "dispatch"
                ? { syncState: "pending" }
                : stage === "change-push"
                  ? { syncState: { not: "pending" } }
                  : {}),
            },
            data: fresh,
          }),
        ]
      : []),
    ...(wants("write-back")
      ? [
          prisma.fulfillmentEventRecord.updateMany({
            where: { ...dead, ...(ids ? { id: { in: ids } } : {}) },
            data: { ...fresh, state: "pending" },
          }),
        ]
      : []),
    ...(wants("backfill")
      ? [
          prisma.backfillJob.updateMany({
            where: { ...dead, ...(ids ? { id: { in: ids } } : {}) },
            data: { ...fresh, state: "queued" },
          }),
        ]
      : []),
  ]);
  return results.reduce((sum, r) => sum + r.count, 0);
}
