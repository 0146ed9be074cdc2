import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { DurableQueue, PermanentFailure, type Claim } from "../durable-queue.server";
import { countDeadLetters, listDeadLetters, retryDeadLetters } from "../dead-letters.server";

// The queue helper on the inbox table: the same statements serve every stage's table.

const queue = new DurableQueue({
  stage: "queue-test",
  table: "WebhookDelivery",
  key: "webhookId",
  leaseMs: 60_000,
  maxAttempts: 3,
  backoff: { firstMs: 1_000, maxMs: 10_000 },
});
// Each test works on its own shop's rows.
const unprocessed = (shop: string) => ({ sql: `"processedAt" IS NULL AND "shop" = ?`, values: [shop] });
let currentShop = "";
const claimDue = (now: Date, limit = 10) =>
  queue.claim({ where: unprocessed(currentShop), orderBy: `"receivedAt"`, limit, now });

let sequence = 0;
async function deliveries(shop: string, count: number, receivedAt = new Date("2026-12-01T10:00:00Z")) {
  currentShop = shop;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const webhookId = `queue-test-${++sequence}`;
    await prisma.webhookDelivery.create({
      data: {
        webhookId,
        shop,
        topic: "fulfillments/create",
        payload: "{}",
        receivedAt: new Date(receivedAt.getTime() + i),
      },
    });
    ids.push(webhookId);
  }
  return ids;
}

const T0 = new Date("2026-12-01T12:00:00Z");
const later = (ms: number) => new Date(T0.getTime() + ms);

describe("DurableQueue", () => {
  it("claims due rows oldest first, once: a second claim finds them taken until the lease expires", async () => {
    const ids = await deliveries("claim.myshopify.com", 3);
    const first = await claimDue(T0, 2);
    expect(first.map((c) => c.key).sort()).toEqual(ids.slice(0, 2));
    const second = await claimDue(later(1_000));
    expect(second.map((c) => c.key)).toEqual([ids[2]]);
    expect(await claimDue(later(2_000))).toEqual([]);
    // The lease ran out: the rows are claimable again, under a new token.
    const again = await claimDue(later(62_000));
    expect(again.map((c) => c.key).sort()).toEqual([...ids].sort());
    expect(new Set(again.map((c) => c.token)).has(first[0].token)).toBe(false);
    await prisma.webhookDelivery.updateMany({ where: { webhookId: { in: ids } }, data: { processedAt: T0 } });
  });

  it("fences: a worker whose lease was taken over can neither renew nor write", async () => {
    const [id] = await deliveries("fence.myshopify.com", 1);
    const [stale] = await claimDue(T0);
    const [current] = await claimDue(later(61_000));
    expect(current.key).toBe(id);

    expect(await queue.renew([stale], later(62_000))).toEqual(new Set());
    expect(await queue.updateFenced([stale], { outcome: "written-by-stale" })).toBe(0);
    expect(await queue.fail(stale, new Error("stale"))).toBe("lost");
    expect(await queue.renew([current], later(62_000))).toEqual(new Set([id]));
    expect(await queue.updateFenced([current], { outcome: "ingested", processedAt: T0 })).toBe(1);
    const row = await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: id } });
    expect(row).toMatchObject({ outcome: "ingested", attempts: 0, lastError: null });
  });

  it("renewal keeps a claim alive past its first lease", async () => {
    const [id] = await deliveries("renew.myshopify.com", 1);
    const [claim] = await claimDue(T0);
    expect(await queue.renew([claim], later(50_000))).toEqual(new Set([id]));
    // 61 s after the claim, but only 11 s after the renewal: still held.
    expect(await claimDue(later(61_000))).toEqual([]);
    expect(await claimDue(later(111_000))).toHaveLength(1);
    await prisma.webhookDelivery.update({ where: { webhookId: id }, data: { processedAt: T0 } });
  });

  it("whileHeld renews in the background and reports a claim lost to another worker", async () => {
    const fast = new DurableQueue({ ...queue.definition, leaseMs: 300 });
    const [id] = await deliveries("heartbeat.myshopify.com", 1);
    const [claim] = await fast.claim({ where: unprocessed(currentShop), orderBy: `"receivedAt"`, limit: 1 });
    const seen = await fast.whileHeld([claim], async (held) => {
      await new Promise((resolve) => setTimeout(resolve, 700));
      // Renewed twice by now: nobody else could claim it.
      const competitor = await fast.claim({
        where: unprocessed(currentShop),
        orderBy: `"receivedAt"`,
        limit: 1,
      });
      const stillHeld = held().has(id);
      return { competitor: competitor.length, stillHeld };
    });
    expect(seen).toEqual({ competitor: 0, stillHeld: true });
    await prisma.webhookDelivery.update({ where: { webhookId: id }, data: { processedAt: T0 } });
  });

  it("isolates failures: one item's error is retried with back-off, the others succeed", async () => {
    const ids = await deliveries("isolate.myshopify.com", 3);
    const claims = await claimDue(T0);
    const done = await queue.eachItem(
      claims.map((claim) => ({ claim })),
      async ({ claim }) => {
        if (claim.key === ids[1]) throw new Error("bad payload shape");
        await queue.updateFenced([claim], { processedAt: T0, outcome: "ingested", leaseOwner: null });
      },
      { now: () => T0 },
    );
    expect(done).toBe(2);
    const failed = await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: ids[1] } });
    expect(failed).toMatchObject({
      attempts: 1,
      lastError: "bad payload shape",
      leaseOwner: null,
      deadAt: null,
    });
    expect(failed.nextAttemptAt!.getTime()).toBeGreaterThan(T0.getTime());
    // Not due yet (back-off), then due.
    expect((await claimDue(later(500))).map((c) => c.key)).toEqual([]);
    expect((await claimDue(later(61_000))).map((c) => c.key)).toEqual([ids[1]]);
    await prisma.webhookDelivery.update({ where: { webhookId: ids[1] }, data: { processedAt: T0 } });
  });

  it("dead-letters after the last attempt, and at once for a permanent failure; retry brings both back", async () => {
    const shop = "dead.myshopify.com";
    const [flaky, broken] = await deliveries(shop, 2);
    let now = T0;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const claims = await claimDue(now);
      const claim = claims.find((c) => c.key === flaky) as Claim;
      const other = claims.find((c) => c.key === broken);
      if (other) expect(await queue.fail(other, new PermanentFailure("not a fulfillment"))).toBe("dead");
      expect(await queue.fail(claim, new Error("TrackingMore timed out"))).toBe(
        attempt < 3 ? "retry" : "dead",
      );
      now = new Date(now.getTime() + 3_600_000);
    }
    expect(await claimDue(now)).toEqual([]);
    expect(await countDeadLetters(shop)).toMatchObject({ ingest: 2, total: 2 });
    const letters = await listDeadLetters(shop);
    expect(letters.map((l) => [l.id, l.reason])).toEqual(
      expect.arrayContaining([
        [flaky, "TrackingMore timed out"],
        [broken, "not a fulfillment"],
      ]),
    );

    // Another shop cannot retry them; the shop itself can.
    expect(await retryDeadLetters("other.myshopify.com", { ids: [flaky, broken] })).toBe(0);
    expect(await retryDeadLetters(shop, { stage: "ingest", ids: [broken], now })).toBe(1);
    expect((await claimDue(now)).map((c) => c.key)).toEqual([broken]);
    const retried = await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: broken } });
    expect(retried).toMatchObject({ attempts: 0, deadAt: null, lastError: null });
    expect(await countDeadLetters(shop)).toMatchObject({ ingest: 1, total: 1 });
  });

  it("counts each stage's dead letters, the shop's only", async () => {
    const deadAt = T0;
    for (const shop of ["count-dead.myshopify.com", "count-other.myshopify.com"]) {
      const n = ++sequence;
      await prisma.webhookDelivery.create({
        data: { webhookId: `count-dead-${n}`, shop, topic: "fulfillments/create", payload: "{}", deadAt },
      });
      for (const syncState of ["pending", "pending_update", "synced"])
        await prisma.tracking.create({
          data: {
            shop,
            orderId: `${n}`,
            trackingNumber: `DEAD${n}${syncState}`,
            carrierCode: "usps",
            syncState,
            // A synced tracking was never given up on.
            deadAt: syncState === "synced" ? null : deadAt,
          },
        });
      await prisma.fulfillmentEventRecord.create({
        data: { shop, fulfillmentId: `f${n}`, status: "in_transit", happenedAt: T0, deadAt },
      });
      await prisma.backfillJob.create({ data: { shop, fromDate: T0, toDate: T0, deadAt } });
    }
    expect(await countDeadLetters("count-dead.myshopify.com")).toEqual({
      ingest: 1,
      dispatch: 1,
      "change-push": 1,
      "write-back": 1,
      backfill: 1,
      total: 5,
    });
  });

  it("claims disjoint rows for concurrent workers", async () => {
    const ids = await deliveries("concurrent.myshopify.com", 30, new Date("2026-12-01T09:00:00Z"));
    const rounds = await Promise.all(Array.from({ length: 5 }, () => claimDue(T0, 8)));
    const claimed = rounds.flat().map((c) => c.key);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.filter((k) => ids.includes(k)).length).toBe(Math.min(30, claimed.length));
    await prisma.webhookDelivery.updateMany({ where: { webhookId: { in: ids } }, data: { processedAt: T0 } });
  });
});
