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
import { durableQueue, PermanentFailure, type Claim } from "~/pipeline/queue/durable-queue.server";

// Sends the queued ("pending") fulfillment events to Shopify with each shop's offline session.
// A record is claimed through the durable queue and marked "sending" before the call; a record found still
// "sending" after its lease ran out had its answer lost, so Shopify is asked whether the event
// exists before it is sent again. A fulfillment's events go out in the order they happened.

export interface SendEventsOptions {
  now?: () => Date;
  batchSize?: number;
  /** The Admin API client of a shop; tests and the worker use the offline session. */
  adminFor?: (shop: string) => Promise<AdminGraphql>;
}

export const writeBackQueue = durableQueue({
  stage: "write-back",
  table: "FulfillmentEventRecord",
  key: "id",
  leaseMs: 60_000,
  // Transient failures (network, 5xx) before a record is dead-lettered.
  maxAttempts: 8,
  backoff: { firstMs: 30_000, maxMs: 3_600_000 },
});
const queue = writeBackQueue;

const DEFAULT_BATCH_SIZE = 50;
const log = logger.child({ component: "write-back" });

async function offlineAdmin(shop: string): Promise<AdminGraphql> {
  const { admin } = await unauthenticated.admin(shop);
  return admin;
}

type Record = Awaited<ReturnType<typeof prisma.fulfillmentEventRecord.findMany>>[number];
type Claimed = Record & { claim: Claim };

/** One round: sends what is due; returns how many records it settled (sent, dead or skipped). */
export async function sendDueFulfillmentEvents(options: SendEventsOptions = {}): Promise<number> {
  const clock = options.now ?? (() => new Date());
  const adminFor = options.adminFor ?? offlineAdmin;
  const now = clock();

  const claims = await queue.claim({
    where: { sql: `"state" IN ('pending', 'sending')`, values: [] },
    orderBy: `"happenedAt", "createdAt"`,
    limit: options.batchSize ?? DEFAULT_BATCH_SIZE,
    now,
  });
  if (claims.length === 0) return 0;
  const claimByKey = new Map(claims.map((c) => [c.key, c]));
  const candidates: Claimed[] = (
    await prisma.fulfillmentEventRecord.findMany({
      where: { id: { in: claims.map((c) => c.key) }, leaseOwner: claims[0].token },
      orderBy: [{ happenedAt: "asc" }, { createdAt: "asc" }],
    })
  ).map((record) => ({ ...record, claim: claimByKey.get(record.id)! }));

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

  await queue.whileHeld(
    claims,
    async () => {
      for (const record of candidates) {
        try {
          settled += await sendOne(record);
        } catch (error) {
          // Our own failure (the database, a bug): this record alone is retried.
          await queue.fail(record.claim, error, { now: clock() }).catch(() => undefined);
        }
      }
    },
    { clock },
  );
  return settled;

  async function sendOne(record: Claimed): Promise<number> {
    const fulfillmentKey = `${record.shop}\u0000${record.fulfillmentId}`;
    if (paused.has(record.shop) || blocked.has(fulfillmentKey)) {
      await queue.release([record.claim]);
      return 0;
    }
    if (disabled.has(record.shop)) {
      await queue.release([record.claim], {
        state: "skipped",
        lastError: "write-back is turned off for this shop",
      });
      return 1;
    }
    // An earlier event of this fulfillment still waits (back-off, or dead): this one goes after it.
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
      await queue.release([record.claim]);
      return 0;
    }
    // "sending" stays on the record until the answer is written: found so after a crash, the
    // answer was lost and Shopify is asked before the event is sent again.
    if ((await queue.updateFenced([record.claim], { state: "sending" })) === 0) return 0;

    const outcome: ShopifyOutcome = uninstalled.has(record.shop)
      ? { kind: "failed", reason: "the shop uninstalled the app" }
      : await deliver(record, adminFor, admins);
    const result = await settle(record, outcome, clock());
    if (outcome.kind === "throttled") {
      paused.add(record.shop);
    } else if (outcome.kind === "sent" && outcome.waitMs > 0) {
      await pauseShop(record.shop, new Date(clock().getTime() + outcome.waitMs));
      paused.add(record.shop);
    }
    if (result === "retry") blocked.add(fulfillmentKey);
    return result === "sent" || result === "dead" ? 1 : 0;
  }
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

async function settle(
  record: Claimed,
  outcome: ShopifyOutcome,
  now: Date,
): Promise<"sent" | "retry" | "dead" | "lost"> {
  const parcels = { shop: record.shop, fulfillmentId: record.fulfillmentId };
  switch (outcome.kind) {
    case "sent": {
      const [written] = await prisma.$transaction([
        prisma.fulfillmentEventRecord.updateMany({
          where: queue.fenced(record.claim),
          data: {
            leaseOwner: null,
            leaseUntil: null,
            state: "sent",
            shopifyEventId: outcome.eventId,
            sentAt: now,
            lastError: null,
          },
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
      return written.count === 1 ? "sent" : "lost";
    }
    case "throttled":
      // Throttling is not the record's fault: no attempt is counted.
      await queue.release([record.claim], {
        state: "pending",
        nextAttemptAt: new Date(now.getTime() + outcome.waitMs),
        lastError: outcome.reason,
      });
      await prisma.shop.updateMany({
        where: { domain: record.shop },
        data: { writeBackPausedUntil: new Date(now.getTime() + outcome.waitMs) },
      });
      log.warn({ shop: record.shop, waitMs: outcome.waitMs }, "Shopify throttled write-back; shop paused");
      return "retry";
    case "retry":
    case "failed": {
      // No event was created (Shopify answered): the record is pending again, or dead.
      const result = await queue.fail(
        record.claim,
        outcome.kind === "failed" ? new PermanentFailure(outcome.reason) : new Error(outcome.reason),
        { now, extra: { state: "pending" } },
      );
      if (result !== "lost")
        await prisma.tracking.updateMany({ where: parcels, data: { writeBackError: outcome.reason } });
      return result;
    }
  }
}
