import { beforeEach, describe, expect, it, vi } from "vitest";
import { appConfig } from "~/config.server";
import prisma from "~/db/client.server";
import { applyTrackingSnapshot, SNAPSHOT_ROW_SELECT } from "~/models/tracking-status/apply-snapshot.server";
import { parseTracking } from "~/trackingmore";
import { applyClaimedPushes, applyReceivedPushes, pushApplyQueue } from "../apply.server";
import { wireTracking, type WireCheckpoint } from "../../../../devkit/trackingmore-wire";
import { seedShop, seedTracking } from "../../../../test/status/helpers";

// The apply half of a TrackingMore push: rounds of up to 100 received pushes, written in one
// transaction, by the same rules as one snapshot at a time (applyTrackingSnapshot).

// Here TrackingMore confirms every push as sent: asking it first is test/security/
// push-confirmation.test.ts's subject; this file is about rounds, fences and isolation.
vi.mock("../push-confirmation.server", () => ({
  confirmPushes: async () => ({ snapshotFor: (_shop: string, snapshot: unknown) => snapshot }),
}));

const HOUR = 3_600_000;
const t0 = new Date(Date.UTC(2026, 10, 20, 8, 0, 0));
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);

const pickedUp: WireCheckpoint = {
  at: at(6),
  status: "transit",
  substatus: "transit001",
  description: "Item accepted by carrier",
  location: "Shenzhen, CN",
};
const hub: WireCheckpoint = {
  at: at(20),
  status: "transit",
  substatus: "transit002",
  description: "Arrived at sorting hub",
  location: "Shenzhen, CN",
};
const outForDelivery: WireCheckpoint = {
  at: at(100),
  status: "pickup",
  substatus: "pickup001",
  description: "Out for delivery",
  location: "Memphis, US",
  leg: "destination",
};

interface KeptPush {
  trackingNumber: string;
  data: Record<string, unknown> | string;
  shops?: string[] | string;
  /** Minutes before now it was received. */
  minutesAgo: number;
}

/** Pushes as the webhook keeps them (push.server.ts), received at the given times. */
async function keep(shop: string, pushes: KeptPush[]): Promise<string[]> {
  const ids: string[] = [];
  const base = Date.now();
  for (const [index, push] of pushes.entries()) {
    // Pushes kept in the same minute keep the order they are listed in.
    const receivedAt = new Date(base - push.minutesAgo * 60_000 + index);
    const row = await prisma.trackingMorePush.create({
      data: {
        trackingNumber: push.trackingNumber,
        carrierCode: "usps",
        shops: typeof push.shops === "string" ? push.shops : JSON.stringify(push.shops ?? [shop]),
        data: typeof push.data === "string" ? push.data : JSON.stringify(push.data),
        receivedAt,
        nextAttemptAt: receivedAt,
      },
    });
    ids.push(row.id);
  }
  return ids;
}

const STORED_FIELDS = {
  trackingNumber: true,
  status: true,
  carrierStatus: true,
  substatus: true,
  manualStatus: true,
  lastEvent: true,
  lastEventAt: true,
  checkpoints: true,
  milestones: true,
  transitDays: true,
  remoteUpdatedAt: true,
} as const;

async function storedRows(shop: string) {
  return prisma.tracking.findMany({
    where: { shop },
    select: STORED_FIELDS,
    orderBy: { trackingNumber: "asc" },
  });
}

async function storedEvents(shop: string) {
  return prisma.fulfillmentEventRecord.findMany({
    where: { shop },
    select: {
      fulfillmentId: true,
      status: true,
      happenedAt: true,
      message: true,
      trackingNumber: true,
      state: true,
    },
    orderBy: [{ fulfillmentId: "asc" }, { status: "asc" }],
  });
}

beforeEach(async () => {
  await prisma.trackingMorePush.deleteMany();
});

describe("applyReceivedPushes", () => {
  it("applies 100 pushes over 60 trackings in one round, as one push at a time would", async () => {
    const batched = "apply-batch-a.myshopify.com";
    const oneByOne = "apply-batch-b.myshopify.com";
    // 20 fulfillments of two parcels (0–39) and 20 of one (40–59); parcel 59 has a manual
    // "delivered" the merchant set here and the dispatcher has not sent yet.
    const fulfillmentOf = (i: number) => (i < 40 ? `F${Math.floor(i / 2)}` : `F${i - 20}`);
    for (const shop of [batched, oneByOne]) {
      await seedShop(shop);
      for (let i = 0; i < 60; i++) {
        await seedTracking(shop, `BATCH${i}`, {
          fulfillmentId: fulfillmentOf(i),
          ...(i === 59
            ? {
                status: "delivered",
                manualStatus: 4,
                syncState: "pending_update",
                pendingChanges: '{"manualStatus":4}',
              }
            : {}),
        });
      }
    }
    // Every parcel is picked up; parcels 0–39 are then out for delivery (36–39: the merchant
    // marks them exception, TrackingMore's manual 7). Every other second push was received
    // before the first (TrackingMore does not promise order), and parcel 3's is received twice.
    const pushes: KeptPush[] = [];
    for (let i = 0; i < 60; i++) {
      pushes.push({
        trackingNumber: `BATCH${i}`,
        data: wireTracking({ trackingNumber: `BATCH${i}`, status: "transit", checkpoints: [pickedUp] }),
        minutesAgo: 50,
      });
    }
    for (let i = 0; i < 39; i++) {
      const data =
        i >= 36
          ? {
              ...wireTracking({ trackingNumber: `BATCH${i}`, status: "7", checkpoints: [pickedUp, hub] }),
              substatus: null,
            }
          : wireTracking({
              trackingNumber: `BATCH${i}`,
              status: "pickup",
              checkpoints: [pickedUp, hub, outForDelivery],
            });
      pushes.push({ trackingNumber: `BATCH${i}`, data, minutesAgo: i % 2 === 0 ? 55 : 40 });
    }
    pushes.push({ ...pushes[63], minutesAgo: 30 });
    expect(pushes).toHaveLength(100);
    await keep(batched, pushes);

    expect(await applyReceivedPushes()).toBe(100);
    expect(await prisma.trackingMorePush.count()).toBe(0);

    // The reference: each push, in the order received, through applyTrackingSnapshot.
    for (const push of [...pushes].sort((a, b) => b.minutesAgo - a.minutesAgo)) {
      const rows = await prisma.tracking.findMany({
        where: { shop: oneByOne, trackingNumber: push.trackingNumber },
        select: SNAPSHOT_ROW_SELECT,
      });
      for (const row of rows) await applyTrackingSnapshot(row, parseTracking(push.data));
    }

    const rows = await storedRows(batched);
    expect(rows).toEqual(await storedRows(oneByOne));
    expect(await storedEvents(batched)).toEqual(await storedEvents(oneByOne));

    // And what that is: the newest snapshot of each parcel, whatever the order received.
    const byNumber = new Map(rows.map((r) => [r.trackingNumber, r]));
    for (let i = 0; i < 36; i++) {
      expect(byNumber.get(`BATCH${i}`)).toMatchObject({ status: "pickup", lastEvent: "Out for delivery" });
      expect(JSON.parse(byNumber.get(`BATCH${i}`)!.checkpoints!)).toHaveLength(3);
    }
    for (let i = 36; i < 39; i++) {
      expect(byNumber.get(`BATCH${i}`)).toMatchObject({
        status: "exception",
        manualStatus: 7,
        carrierStatus: "transit",
      });
    }
    for (let i = 39; i < 59; i++) {
      expect(byNumber.get(`BATCH${i}`)).toMatchObject({ status: "transit", substatus: "transit001" });
      expect(JSON.parse(byNumber.get(`BATCH${i}`)!.checkpoints!)).toHaveLength(1);
    }
    expect(byNumber.get("BATCH59")).toMatchObject({
      status: "delivered",
      manualStatus: 4,
      carrierStatus: "transit",
    });

    // One record per fulfillment and status, and each fulfillment's progress queued once.
    const events = await storedEvents(batched);
    const keys = events.map((e) => `${e.fulfillmentId}/${e.status}`);
    expect(new Set(keys).size).toBe(keys.length);
    const latest = (fulfillmentId: string) =>
      events.filter((e) => e.fulfillmentId === fulfillmentId).map((e) => e.status);
    for (let f = 0; f < 18; f++) expect(latest(`F${f}`)).toContain("OUT_FOR_DELIVERY");
    // Parcel 38 is marked exception (FAILURE); its sibling 39 only picked up.
    expect(latest("F19")).toEqual(["CARRIER_PICKED_UP"]);
    for (let f = 20; f < 39; f++) expect(latest(`F${f}`)).toEqual(["CARRIER_PICKED_UP"]);
    expect(latest("F39")).toEqual(["DELIVERED"]);
    expect(events.every((e) => e.state === "pending")).toBe(true);
  });

  it("dead-letters a push it cannot read, with the reason, and applies the good ones", async () => {
    const shop = "apply-malformed.myshopify.com";
    await seedShop(shop);
    for (let i = 0; i < 4; i++) await seedTracking(shop, `GOOD${i}`);
    const good = (i: number) => ({
      trackingNumber: `GOOD${i}`,
      data: wireTracking({ trackingNumber: `GOOD${i}`, status: "transit", checkpoints: [pickedUp] }),
      minutesAgo: 10 - i,
    });
    const [broken, elsewhere, noShop] = await keep(shop, [
      { trackingNumber: "GOOD0", data: "{broken", minutesAgo: 20 },
      {
        trackingNumber: "GOOD1",
        data: wireTracking({ trackingNumber: "OTHER1", status: "delivered" }),
        minutesAgo: 15,
      },
      {
        trackingNumber: "GOOD2",
        data: wireTracking({ trackingNumber: "GOOD2", status: "delivered" }),
        shops: "{}",
        minutesAgo: 12,
      },
    ]);
    await keep(shop, [good(0), good(1), good(2), good(3)]);

    expect(await applyReceivedPushes()).toBe(4);

    const rows = await prisma.tracking.findMany({ where: { shop }, select: { status: true } });
    expect(rows.map((r) => r.status)).toEqual(["transit", "transit", "transit", "transit"]);
    const dead = await prisma.trackingMorePush.findMany({ orderBy: { receivedAt: "asc" } });
    expect(dead.map((p) => p.id)).toEqual([broken, elsewhere, noShop]);
    for (const push of dead) {
      expect(push.deadAt).toBeInstanceOf(Date);
      expect(push).toMatchObject({ attempts: 1, leaseOwner: null, leaseUntil: null });
    }
    expect(dead[0].lastError).toMatch(/not valid JSON/);
    expect(dead[1].lastError).toMatch(/OTHER1.*not the one it was received for.*GOOD1/);
    expect(dead[2].lastError).toMatch(/names no shop/);
    // Dead letters are not claimed again.
    expect(await applyReceivedPushes({ now: () => new Date(Date.now() + 24 * HOUR) })).toBe(0);
    expect(await prisma.trackingMorePush.count({ where: { deadAt: { not: null } } })).toBe(3);
  });

  it("retries on its own a push whose write fails, applying its batch-mates", async () => {
    const shop = "apply-poison.myshopify.com";
    await seedShop(shop);
    for (const number of ["WELL1", "POISON1", "WELL2"]) {
      await seedTracking(shop, number);
    }
    const [, poisoned] = await keep(
      shop,
      ["WELL1", "POISON1", "WELL2"].map((number, i) => ({
        trackingNumber: number,
        data: wireTracking({ trackingNumber: number, status: "transit", checkpoints: [pickedUp] }),
        minutesAgo: 10 - i,
      })),
    );
    // The database refuses to write one of the rows (as a full disk or a constraint would).
    const postgres = appConfig().databaseProvider === "postgresql";
    if (postgres) {
      await prisma.$executeRawUnsafe(
        `CREATE FUNCTION poison_tracking() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'row refused'; END $$ LANGUAGE plpgsql`,
      );
      await prisma.$executeRawUnsafe(
        `CREATE TRIGGER poison BEFORE UPDATE ON "Tracking" FOR EACH ROW
         WHEN (NEW."trackingNumber" = 'POISON1') EXECUTE FUNCTION poison_tracking()`,
      );
    } else {
      await prisma.$executeRawUnsafe(
        `CREATE TRIGGER poison BEFORE UPDATE ON "Tracking" WHEN NEW."trackingNumber" = 'POISON1'
         BEGIN SELECT RAISE(ABORT, 'row refused'); END`,
      );
    }
    try {
      expect(await applyReceivedPushes()).toBe(2);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER poison${postgres ? ` ON "Tracking"` : ""}`);
      if (postgres) await prisma.$executeRawUnsafe(`DROP FUNCTION poison_tracking()`);
    }

    const statuses = await prisma.tracking.findMany({
      where: { shop },
      select: { trackingNumber: true, status: true },
    });
    expect(Object.fromEntries(statuses.map((s) => [s.trackingNumber, s.status]))).toEqual({
      WELL1: "transit",
      POISON1: "pending",
      WELL2: "transit",
    });
    const waiting = await prisma.trackingMorePush.findUniqueOrThrow({ where: { id: poisoned } });
    expect(waiting).toMatchObject({ attempts: 1, deadAt: null, leaseOwner: null });
    expect(waiting.lastError).toMatch(/row refused/);
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // Once the database takes it, the retry applies it.
    expect(await applyReceivedPushes({ now: () => new Date(Date.now() + HOUR) })).toBe(1);
    expect(
      (await prisma.tracking.findFirstOrThrow({ where: { shop, trackingNumber: "POISON1" } })).status,
    ).toBe("transit");
  });

  it("writes nothing for a worker whose claim was taken over", async () => {
    const shop = "apply-stale.myshopify.com";
    await seedShop(shop);
    const row = await seedTracking(shop, "STALE1", { fulfillmentId: "S1" });
    await keep(shop, [
      {
        trackingNumber: "STALE1",
        data: wireTracking({ trackingNumber: "STALE1", status: "transit", checkpoints: [pickedUp] }),
        minutesAgo: 5,
      },
    ]);
    const start = new Date();
    const stalled = await pushApplyQueue.claim({
      where: { sql: "1 = 1", values: [] },
      orderBy: `"receivedAt"`,
      limit: 100,
      now: start,
    });
    expect(stalled).toHaveLength(1);
    // The first worker stalls past its lease; another takes the push over.
    const later = new Date(start.getTime() + 61_000);
    const current = await pushApplyQueue.claim({
      where: { sql: "1 = 1", values: [] },
      orderBy: `"receivedAt"`,
      limit: 100,
      now: later,
    });
    expect(current).toHaveLength(1);

    expect(await applyClaimedPushes(stalled, { now: () => later })).toBe(0);
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).toEqual(row);
    expect(await prisma.fulfillmentEventRecord.count({ where: { shop } })).toBe(0);
    expect(await prisma.trackingMorePush.findFirstOrThrow()).toMatchObject({
      leaseOwner: current[0].token,
      attempts: 0,
    });

    expect(await applyClaimedPushes(current, { now: () => later })).toBe(1);
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("transit");
    expect(await storedEvents(shop)).toMatchObject([{ fulfillmentId: "S1", status: "CARRIER_PICKED_UP" }]);
  });

  it("ends a round early when asked, leaving the rest for the next round", async () => {
    const shop = "apply-early.myshopify.com";
    await seedShop(shop);
    const pushes: KeptPush[] = [];
    for (let i = 0; i < 25; i++) {
      await seedTracking(shop, `EARLY${i}`);
      pushes.push({
        trackingNumber: `EARLY${i}`,
        data: wireTracking({ trackingNumber: `EARLY${i}`, status: "transit", checkpoints: [pickedUp] }),
        minutesAgo: 30 - i,
      });
    }
    await keep(shop, pushes);

    // A burst begins once the round has started: it ends after the first ten.
    let asked = 0;
    expect(await applyReceivedPushes({ stopEarly: () => asked++ > 0 })).toBe(10);
    const left = await prisma.trackingMorePush.findMany({ orderBy: { receivedAt: "asc" } });
    // The oldest ten went first; the rest were let go unharmed (no attempt counted).
    expect(left.map((p) => p.trackingNumber)).toEqual(pushes.slice(10).map((p) => p.trackingNumber));
    expect(left.every((p) => p.leaseOwner === null && p.attempts === 0)).toBe(true);
    // A round that starts in a burst takes ten.
    expect(await applyReceivedPushes({ stopEarly: () => true })).toBe(10);
    expect(await applyReceivedPushes({ stopEarly: () => false })).toBe(5);
    expect(await prisma.trackingMorePush.count()).toBe(0);
  });
});
