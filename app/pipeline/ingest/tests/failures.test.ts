import { describe, expect, it, vi } from "vitest";
import prisma from "~/db/client.server";
import { ingestLagMs, ingestPendingDeliveries } from "~/pipeline/ingest/ingest.server";
import { listDeadLetters, retryDeadLetters } from "~/pipeline/queue/dead-letters.server";
import { deliver, withPipelineEmulator } from "../../../../test/support/pipeline";
import { fulfillmentPayload } from "../../../../devkit/shopify";
import type * as Carriers from "~/models/carriers/carriers.server";
import type * as Settings from "~/models/settings.server";
import type * as Rows from "~/pipeline/ingest/rows.server";

// Issue 10: one delivery's trouble (a payload that cannot be read, a fulfillment with a
// thousand numbers, an error while applying it, a worker that lost its lease) never holds back
// another's, is never retried for ever, and is visible with its reason.

const faults = vi.hoisted(() => ({
  /** Tracking companies whose carrier lookup throws (a stage error for one delivery). */
  carrierThrowsFor: new Set<string>(),
  /** Tracking numbers whose new row cannot be built (a bulk write failing for one delivery). */
  rowThrowsFor: new Set<string>(),
  /** Runs when the ingest round loads a shop's settings: a point in the middle of a round. */
  duringRound: undefined as undefined | ((shop: string) => Promise<void>),
}));

vi.mock("~/models/carriers/carriers.server", async (importOriginal) => {
  const original = await importOriginal<typeof Carriers>();
  return {
    ...original,
    resolveCarrier: (...args: Parameters<typeof original.resolveCarrier>) => {
      if (args[0] && faults.carrierThrowsFor.has(args[0]))
        throw new Error(`carrier lookup failed for ${args[0]}`);
      return original.resolveCarrier(...args);
    },
  };
});

vi.mock("~/models/settings.server", async (importOriginal) => {
  const original = await importOriginal<typeof Settings>();
  return {
    ...original,
    getShopSettings: async (shop: string) => {
      await faults.duringRound?.(shop);
      return original.getShopSettings(shop);
    },
  };
});

vi.mock("~/pipeline/ingest/rows.server", async (importOriginal) => {
  const original = await importOriginal<typeof Rows>();
  return {
    ...original,
    newTrackingRow: (...args: Parameters<typeof original.newTrackingRow>) => {
      if (faults.rowThrowsFor.has(args[1].trackingNumber))
        throw new Error(`cannot write the row of ${args[1].trackingNumber}`);
      return original.newTrackingRow(...args);
    },
  };
});

const pipeline = withPipelineEmulator("failures");
const newShop = () => pipeline.newShop();

const numbersOf = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(8, "0")}`);

async function trackingNumbers(shop: string): Promise<string[]> {
  const rows = await prisma.tracking.findMany({ where: { shop }, select: { trackingNumber: true } });
  return rows.map((r) => r.trackingNumber).sort();
}

const minutes = (from: Date, n: number) => new Date(from.getTime() + n * 60_000);

describe("ingest: one delivery's trouble is its own", () => {
  it("ingests good deliveries of two shops at once beside a malformed one and a 1,000-number one", async () => {
    const [shopA, shopB] = [await newShop(), await newShop()];
    const goodA = numbersOf("1ZGOODA", 3);
    const goodB = numbersOf("1ZGOODB", 3);
    for (const n of goodA)
      await deliver("fulfillments/create", shopA, fulfillmentPayload({ trackingNumbers: [n] }));
    const malformed = `malformed-${shopA}`;
    await deliver(
      "fulfillments/create",
      shopA,
      { ...fulfillmentPayload(), tracking_numbers: "1Z999AA10000009999" },
      malformed,
    );
    const big = numbersOf("BIG", 1_000);
    const bigPayload = fulfillmentPayload({ trackingNumbers: big });
    await deliver("fulfillments/create", shopB, bigPayload);
    for (const n of goodB)
      await deliver("fulfillments/create", shopB, fulfillmentPayload({ trackingNumbers: [n] }));

    await ingestPendingDeliveries();

    expect(await trackingNumbers(shopA)).toEqual(goodA);
    expect(await trackingNumbers(shopB)).toEqual([...big, ...goodB].sort());
    const [letter, ...others] = await listDeadLetters(shopA);
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      stage: "ingest",
      id: malformed,
      subject: "fulfillments/create",
      attempts: 1,
    });
    expect(letter.reason).toMatch(/tracking_numbers/);
    expect(await listDeadLetters(shopB)).toEqual([]);
    expect(
      await prisma.webhookDelivery.count({ where: { shop: { in: [shopA, shopB] }, processedAt: null } }),
    ).toBe(1);
    // Nothing is left to claim: the dead letter waits for someone to look at it, and is not
    // ingest falling behind.
    expect(await ingestPendingDeliveries()).toBe(0);
    expect(await ingestLagMs()).toBe(0);

    // The whole order follows (orders/fulfilled): the same 1,000 parcels, each still there once.
    await deliver("orders/fulfilled", shopB, {
      id: bigPayload.order_id,
      name: "#5001",
      created_at: "2026-11-19T08:00:00Z",
      fulfillments: [bigPayload],
    });
    await ingestPendingDeliveries();
    const bigRows = await prisma.tracking.findMany({
      where: { shop: shopB, trackingNumber: { startsWith: "BIG" } },
      select: { orderCreatedAt: true },
    });
    expect(bigRows).toHaveLength(1_000);
    expect(bigRows.every((r) => r.orderCreatedAt?.toISOString() === "2026-11-19T08:00:00.000Z")).toBe(true);
    expect(await prisma.webhookDelivery.count({ where: { shop: shopB, processedAt: null } })).toBe(0);

    // Retried from the dead letters, data that cannot be read is dead-lettered again, at once.
    expect(await retryDeadLetters(shopA)).toBe(1);
    await ingestPendingDeliveries({ now: minutes(new Date(), 1) });
    const [again] = await listDeadLetters(shopA);
    expect(again).toMatchObject({ id: malformed, attempts: 1 });
    expect(again.reason).toMatch(/tracking_numbers/);
  });

  it("ingests 5,000 numbers of one fulfillment once, and an update of it changes nothing", async () => {
    const shop = await newShop();
    const numbers = numbersOf("HUGE", 5_000);
    const payload = fulfillmentPayload({ trackingNumbers: numbers });
    await deliver("fulfillments/create", shop, payload);
    await ingestPendingDeliveries();
    expect(await trackingNumbers(shop)).toEqual(numbers);
    await deliver("fulfillments/update", shop, { ...payload, updated_at: "2026-11-20T11:00:00-05:00" });
    await ingestPendingDeliveries();
    expect(await prisma.tracking.count({ where: { shop } })).toBe(5_000);
    expect(await prisma.tracking.count({ where: { shop, archived: true } })).toBe(0);
    expect(await prisma.webhookDelivery.count({ where: { shop, processedAt: null } })).toBe(0);
  });

  it("an error for one delivery leaves its batch-mates done; it is retried with back-off, then dead-lettered", async () => {
    const shop = await newShop();
    const good = numbersOf("1ZMATE", 4);
    for (const n of good)
      await deliver("fulfillments/create", shop, fulfillmentPayload({ trackingNumbers: [n] }));
    const failing = `exploding-${shop}`;
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({ trackingCompany: "Exploding Freight", trackingNumbers: ["EXPLODE00000001"] }),
      failing,
    );
    faults.carrierThrowsFor.add("Exploding Freight");
    try {
      let now = new Date();
      await ingestPendingDeliveries({ now });
      expect(await trackingNumbers(shop)).toEqual(good);
      const first = await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: failing } });
      expect(first).toMatchObject({ processedAt: null, deadAt: null, attempts: 1, leaseOwner: null });
      expect(first.lastError).toMatch(/carrier lookup failed/);
      expect(first.nextAttemptAt!.getTime()).toBeGreaterThan(now.getTime());
      // Not before its back-off is over.
      await ingestPendingDeliveries({ now: new Date(now.getTime() + 1_000) });
      expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: failing } })).toMatchObject(
        {
          attempts: 1,
        },
      );

      for (let round = 0; round < 10; round++) {
        now = minutes(now, 60);
        await ingestPendingDeliveries({ now });
      }
      const [letter] = await listDeadLetters(shop);
      expect(letter).toMatchObject({ stage: "ingest", id: failing, attempts: 5 });
      expect(letter.reason).toMatch(/carrier lookup failed/);

      // The trouble passes; the merchant retries the dead letter and it is ingested, once.
      faults.carrierThrowsFor.clear();
      expect(await retryDeadLetters(shop, { ids: [failing] })).toBe(1);
      await ingestPendingDeliveries({ now: minutes(new Date(), 1) });
      expect(await trackingNumbers(shop)).toEqual([...good, "EXPLODE00000001"].sort());
      expect(await listDeadLetters(shop)).toEqual([]);
      expect(await prisma.webhookDelivery.count({ where: { shop, processedAt: null } })).toBe(0);
    } finally {
      faults.carrierThrowsFor.clear();
    }
  });

  it("a delivery whose rows cannot be written fails alone: the rest of its batch is written", async () => {
    const shop = await newShop();
    const good = numbersOf("1ZBATCH", 4);
    for (const n of good.slice(0, 2))
      await deliver("fulfillments/create", shop, fulfillmentPayload({ trackingNumbers: [n] }));
    const failing = `unwritable-${shop}`;
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({ trackingNumbers: ["1ZROWFAIL0000001"] }),
      failing,
    );
    for (const n of good.slice(2))
      await deliver("fulfillments/create", shop, fulfillmentPayload({ trackingNumbers: [n] }));
    faults.rowThrowsFor.add("1ZROWFAIL0000001");
    const now = new Date();
    try {
      await ingestPendingDeliveries({ now });
    } finally {
      faults.rowThrowsFor.clear();
    }
    expect(await trackingNumbers(shop)).toEqual(good);
    const row = await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: failing } });
    expect(row).toMatchObject({ processedAt: null, deadAt: null, attempts: 1 });
    expect(row.lastError).toMatch(/cannot write the row/);
    // Its retry, once the back-off is over, writes it.
    await ingestPendingDeliveries({ now: minutes(now, 5) });
    expect(await trackingNumbers(shop)).toEqual([...good, "1ZROWFAIL0000001"].sort());
    expect(await prisma.webhookDelivery.count({ where: { shop, processedAt: null } })).toBe(0);
  });

  it("a shop whose settings cannot be read waits alone; another shop's deliveries in the round are ingested", async () => {
    const [broken, fine] = [await newShop(), await newShop()];
    await deliver(
      "fulfillments/create",
      broken,
      fulfillmentPayload({ trackingNumbers: ["1ZBROKEN00000001"] }),
    );
    await deliver("fulfillments/create", fine, fulfillmentPayload({ trackingNumbers: ["1ZFINE0000000001"] }));
    faults.duringRound = async (shop) => {
      if (shop === broken) throw new Error("settings unavailable");
    };
    const now = new Date();
    try {
      await ingestPendingDeliveries({ now });
    } finally {
      faults.duringRound = undefined;
    }
    expect(await trackingNumbers(fine)).toEqual(["1ZFINE0000000001"]);
    expect(await trackingNumbers(broken)).toEqual([]);
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: broken } })).toMatchObject({
      attempts: 1,
      lastError: "settings unavailable",
    });
    await ingestPendingDeliveries({ now: minutes(now, 5) });
    expect(await trackingNumbers(broken)).toEqual(["1ZBROKEN00000001"]);
  });

  it("workers ingesting at the same time take disjoint deliveries: every parcel once", async () => {
    const shop = await newShop();
    const numbers = numbersOf("1ZTWIN", 60);
    for (let i = 0; i < numbers.length; i += 2)
      await deliver(
        "fulfillments/create",
        shop,
        fulfillmentPayload({ trackingNumbers: numbers.slice(i, i + 2) }),
      );
    const claimed = await Promise.all([1, 2, 3].map(() => ingestPendingDeliveries({ limit: 10 })));
    expect(claimed.reduce((a, b) => a + b, 0)).toBe(30);
    while ((await ingestPendingDeliveries()) > 0);
    expect(await trackingNumbers(shop)).toEqual(numbers);
    expect(await prisma.webhookDelivery.count({ where: { shop, outcome: "ingested" } })).toBe(30);
  });

  it("a worker whose lease ran out mid-round writes nothing; the new owner ingests the delivery once", async () => {
    const shop = await newShop();
    const webhookId = `stale-${shop}`;
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({ trackingNumbers: ["1ZSTALE000000001"] }),
      webhookId,
    );
    const start = new Date();
    faults.duringRound = async (roundShop) => {
      if (roundShop !== shop) return;
      faults.duringRound = undefined;
      // The round stalled past its lease; another worker claimed the delivery meanwhile.
      await prisma.webhookDelivery.update({
        where: { webhookId },
        data: { leaseOwner: "another-worker", leaseUntil: minutes(start, 2) },
      });
    };
    try {
      await ingestPendingDeliveries({ now: start });
    } finally {
      faults.duringRound = undefined;
    }
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId } })).toMatchObject({
      processedAt: null,
      outcome: null,
      leaseOwner: "another-worker",
      attempts: 0,
    });
    expect(await prisma.fulfillment.count({ where: { shop } })).toBe(0);
    expect(await prisma.tracking.count({ where: { shop } })).toBe(0);

    // The other worker died too; once its lease is over the delivery is ingested, once.
    await ingestPendingDeliveries({ now: minutes(start, 3) });
    expect(await trackingNumbers(shop)).toEqual(["1ZSTALE000000001"]);
    expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId } })).outcome).toBe(
      "ingested",
    );
  });

  it("a stale worker's settle of an update (the careful path) writes nothing either", async () => {
    const shop = await newShop();
    const original = fulfillmentPayload({ trackingNumbers: ["1ZSTALE000000101"] });
    await deliver("fulfillments/create", shop, original);
    await ingestPendingDeliveries();
    const webhookId = `stale-update-${shop}`;
    await deliver(
      "fulfillments/update",
      shop,
      { ...original, tracking_numbers: ["1ZSTALE000000102"], updated_at: "2026-11-20T11:00:00-05:00" },
      webhookId,
    );
    const start = new Date();
    faults.duringRound = async (roundShop) => {
      if (roundShop !== shop) return;
      faults.duringRound = undefined;
      await prisma.webhookDelivery.update({
        where: { webhookId },
        data: { leaseOwner: "another-worker", leaseUntil: minutes(start, 2) },
      });
    };
    try {
      await ingestPendingDeliveries({ now: start });
    } finally {
      faults.duringRound = undefined;
    }
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId } })).toMatchObject({
      processedAt: null,
      leaseOwner: "another-worker",
      payload: expect.any(String),
    });
    // Applying it again is harmless: the new owner settles it, and each parcel is there once.
    await ingestPendingDeliveries({ now: minutes(start, 3) });
    expect(await trackingNumbers(shop)).toEqual(["1ZSTALE000000101", "1ZSTALE000000102"]);
    expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId } })).outcome).toBe(
      "ingested",
    );
  });
});
