import { randomUUID } from "node:crypto";
import prisma from "~/db/client.server";
import { logger } from "~/logger.server";
import { unauthenticated } from "~/shopify.server";
import {
  createFulfillmentEvent,
  findExistingEvent,
  outcomeOfError,
  type AdminGraphql,
  type ShopifyOutcome,
} from "./shopify-event.server";
import { retryDelayMs } from "~/pipeline/queue/backoff.server";

// Sends the queued ("pending") fulfillment events to Shopify with each shop's offline session.
// A record is claimed (state "sending" + lease) before the call; a record found still
// "sending" after its lease ran out had its answer lost, so Shopify is asked whether the event
// exists before it is sent again. A fulfillment's events go out in the order they happened.

export interface SendEventsOptions {
  now?: () => Date;
  workerId?: string;
  batchSize?: number;
  leaseMs?: number;
  /** Transient failures (network, 5xx) before a record is reported failed. */
  maxAttempts?: number;
  /** The Admin API client of a shop; tests and the worker use the offline session. */
  adminFor?: (shop: string) => Promise<AdminGraphql>;
}

const DEFAULTS = { batchSize: 50, leaseMs: 60_000, maxAttempts: 8 };
const log = logger.child({ component: "write-back" });

async function offlineAdmin(shop: string): Promise<AdminGraphql> {
  const { admin } = await unauthenticated.admin(shop);
  return admin;
}

type Claimed = Awaited<ReturnType<typeof dueRecords>>[number];

function dueRecords(now: Date, batchSize: number) {
  return prisma.fulfillmentEventRecord.findMany({
    where: {
      OR: [
        { state: "pending", nextAttemptAt: { lte: now } },
        { state: "sending", leaseUntil: { lt: now } },
      ],
    },
    orderBy: [{ happenedAt: "asc" }, { createdAt: "asc" }],
    take: batchSize,
  });
}

/** One round: sends what is due; returns how many records it settled (sent, failed or skipped). */
export async function sendDueFulfillmentEvents(options: SendEventsOptions = {}): Promise<number> {
  const clock = options.now ?? (() => new Date());
  const workerId = options.workerId ?? `write-back-${randomUUID()}`;
  const { batchSize, leaseMs, maxAttempts } = { ...DEFAULTS, ...options };
  const adminFor = options.adminFor ?? offlineAdmin;
  const now = clock();

  const candidates = await dueRecords(now, batchSize);
  if (candidates.length === 0) return 0;

  const shops = [...new Set(candidates.map((c) => c.shop))];
  const [shopRows, settingsRows] = await Promise.all([
    prisma.shop.findMany({ where: { domain: { in: shops } } }),
    prisma.shopSettings.findMany({
      where: { shop: { in: shops } },
      select: { shop: true, writeBackEnabled: true },
    }),
  ]);
  const paused = new Set(
    shopRows.filter((s) => s.writeBackPausedUntil && s.writeBackPausedUntil > now).map((s) => s.domain),
  );
  const uninstalled = new Set(shopRows.filter((s) => s.uninstalledAt).map((s) => s.domain));
  const disabled = new Set(settingsRows.filter((s) => !s.writeBackEnabled).map((s) => s.shop));
  const admins = new Map<string, Promise<AdminGraphql>>();
  const blocked = new Set<string>();
  let settled = 0;

  for (const record of candidates) {
    const fulfillmentKey = `${record.shop}\u0000${record.fulfillmentId}`;
    if (paused.has(record.shop) || blocked.has(fulfillmentKey)) continue;

    if (disabled.has(record.shop)) {
      await prisma.fulfillmentEventRecord.updateMany({
        where: { id: record.id, state: record.state },
        data: {
          state: "skipped",
          lastError: "write-back is turned off for this shop",
          leaseOwner: null,
          leaseUntil: null,
        },
      });
      settled++;
      continue;
    }
    // An earlier event of this fulfillment still waits (back-off): this one goes after it.
    const earlier = await prisma.fulfillmentEventRecord.count({
      where: {
        shop: record.shop,
        fulfillmentId: record.fulfillmentId,
        state: { in: ["pending", "sending"] },
        id: { not: record.id },
        OR: [
          { happenedAt: { lt: record.happenedAt } },
          { happenedAt: record.happenedAt, createdAt: { lt: record.createdAt } },
        ],
      },
    });
    if (earlier > 0) {
      blocked.add(fulfillmentKey);
      continue;
    }

    const claimed = await prisma.fulfillmentEventRecord.updateMany({
      where: { id: record.id, state: record.state, leaseUntil: record.leaseUntil },
      data: {
        state: "sending",
        leaseOwner: workerId,
        leaseUntil: new Date(now.getTime() + leaseMs),
        attempts: { increment: 1 },
      },
    });
    if (claimed.count === 0) continue;
    const attempts = record.attempts + 1;

    let outcome: ShopifyOutcome;
    if (uninstalled.has(record.shop)) {
      outcome = { kind: "failed", reason: "the shop uninstalled the app" };
    } else {
      outcome = await deliver(record, adminFor, admins);
    }
    if (outcome.kind === "retry" && attempts >= maxAttempts) {
      outcome = { kind: "failed", reason: `gave up after ${attempts} attempts: ${outcome.reason}` };
    }
    await settle(record, outcome, attempts, clock());
    if (outcome.kind === "throttled") {
      paused.add(record.shop);
    } else if (outcome.kind === "sent" && outcome.waitMs > 0) {
      await pauseShop(record.shop, new Date(clock().getTime() + outcome.waitMs));
      paused.add(record.shop);
    }
    if (outcome.kind === "retry") blocked.add(fulfillmentKey);
    if (outcome.kind === "sent" || outcome.kind === "failed") settled++;
  }
  return settled;
}

async function deliver(
  record: Claimed,
  adminFor: (shop: string) => Promise<AdminGraphql>,
  admins: Map<string, Promise<AdminGraphql>>,
): Promise<ShopifyOutcome> {
  let admin: AdminGraphql;
  try {
    if (!admins.has(record.shop)) admins.set(record.shop, adminFor(record.shop));
    admin = await admins.get(record.shop)!;
  } catch (error) {
    admins.delete(record.shop);
    return outcomeOfError(error);
  }
  if (record.state === "sending") {
    const existing = await findExistingEvent(admin, record.fulfillmentId, record.status);
    if (!("found" in existing)) return existing;
    if (existing.found) return { kind: "sent", eventId: existing.found, waitMs: 0 };
  }
  return createFulfillmentEvent(admin, record);
}

async function pauseShop(shop: string, until: Date): Promise<void> {
  await prisma.shop.updateMany({ where: { domain: shop }, data: { writeBackPausedUntil: until } });
}

async function settle(record: Claimed, outcome: ShopifyOutcome, attempts: number, now: Date): Promise<void> {
  const mine = { id: record.id, state: "sending" };
  const parcels = { shop: record.shop, fulfillmentId: record.fulfillmentId };
  const released = { leaseOwner: null, leaseUntil: null };
  switch (outcome.kind) {
    case "sent":
      await prisma.$transaction([
        prisma.fulfillmentEventRecord.updateMany({
          where: mine,
          data: { ...released, state: "sent", shopifyEventId: outcome.eventId, sentAt: now, lastError: null },
        }),
        prisma.tracking.updateMany({
          where: { ...parcels, writeBackError: { not: null } },
          data: { writeBackError: null },
        }),
      ]);
      log.info(
        { shop: record.shop, fulfillmentId: record.fulfillmentId, status: record.status },
        "fulfillment event sent",
      );
      return;
    case "throttled":
      // Throttling is not the record's fault: the attempt is given back.
      await prisma.$transaction([
        prisma.fulfillmentEventRecord.updateMany({
          where: mine,
          data: {
            ...released,
            state: "pending",
            attempts: attempts - 1,
            nextAttemptAt: new Date(now.getTime() + outcome.waitMs),
            lastError: outcome.reason,
          },
        }),
        prisma.shop.updateMany({
          where: { domain: record.shop },
          data: { writeBackPausedUntil: new Date(now.getTime() + outcome.waitMs) },
        }),
      ]);
      log.warn({ shop: record.shop, waitMs: outcome.waitMs }, "Shopify throttled write-back; shop paused");
      return;
    case "retry":
      await prisma.$transaction([
        prisma.fulfillmentEventRecord.updateMany({
          where: mine,
          data: {
            ...released,
            state: "pending",
            nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)),
            lastError: outcome.reason,
          },
        }),
        prisma.tracking.updateMany({ where: parcels, data: { writeBackError: outcome.reason } }),
      ]);
      log.warn(
        { shop: record.shop, fulfillmentId: record.fulfillmentId, reason: outcome.reason },
        "fulfillment event will be retried",
      );
      return;
    case "failed":
      await prisma.$transaction([
        prisma.fulfillmentEventRecord.updateMany({
          where: mine,
          data: { ...released, state: "failed", lastError: outcome.reason },
        }),
        prisma.tracking.updateMany({ where: parcels, data: { writeBackError: outcome.reason } }),
      ]);
      log.error(
        { shop: record.shop, fulfillmentId: record.fulfillmentId, reason: outcome.reason },
        "fulfillment event failed",
      );
      return;
  }
}
