import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { applyReceivedPushes } from "~/pipeline/push-apply/apply.server";
import { verifyPushSignature } from "~/pipeline/push-apply/push.server";
import { HOUR, postPush, seedShop, seedTracking } from "./helpers";
import { signedPushBody, signTrackingMorePush, wireTracking } from "../../devkit/trackingmore-wire";

const email = "owner@shop-a.example";
const t0 = new Date(Date.UTC(2026, 10, 20, 8, 0, 0));
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);

const pickedUp = {
  at: at(6),
  status: "transit",
  substatus: "transit001",
  description: "Item accepted by carrier",
  location: "Shenzhen, CN",
};
const hub = {
  at: at(20),
  status: "transit",
  substatus: "transit002",
  description: "Arrived at sorting hub",
  location: "Shenzhen, CN",
};
const outForDelivery = {
  at: at(100),
  status: "pickup",
  substatus: "pickup001",
  description: "Out for delivery",
  location: "Memphis, US",
  leg: "destination" as const,
};

describe("verifyPushSignature", () => {
  const now = new Date();
  const fresh = String(Math.floor(now.getTime() / 1000));

  it("accepts TrackingMore's HMAC of timeStr keyed by the account email", () => {
    expect(
      verifyPushSignature(email, { timeStr: fresh, signature: signTrackingMorePush(email, fresh) }, { now }),
    ).toBe(true);
    // Milliseconds are accepted too.
    const ms = String(now.getTime());
    expect(
      verifyPushSignature(email, { timeStr: ms, signature: signTrackingMorePush(email, ms) }, { now }),
    ).toBe(true);
  });

  it("refuses another email's signature, a tampered one, and stale or future times", () => {
    expect(
      verifyPushSignature(
        email,
        { timeStr: fresh, signature: signTrackingMorePush("other@x.example", fresh) },
        { now },
      ),
    ).toBe(false);
    expect(verifyPushSignature(email, { timeStr: fresh, signature: "abc" }, { now })).toBe(false);
    const stale = String(Math.floor(now.getTime() / 1000) - 11 * 60);
    expect(
      verifyPushSignature(email, { timeStr: stale, signature: signTrackingMorePush(email, stale) }, { now }),
    ).toBe(false);
    expect(
      verifyPushSignature(
        email,
        { timeStr: stale, signature: signTrackingMorePush(email, stale) },
        { now, maxAgeSeconds: 3600 },
      ),
    ).toBe(true);
    const future = String(Math.floor(now.getTime() / 1000) + 11 * 60);
    expect(
      verifyPushSignature(
        email,
        { timeStr: future, signature: signTrackingMorePush(email, future) },
        { now },
      ),
    ).toBe(false);
    expect(
      verifyPushSignature(
        email,
        { timeStr: "yesterday", signature: signTrackingMorePush(email, "yesterday") },
        { now },
      ),
    ).toBe(false);
  });
});

describe("POST /webhooks/trackingmore", () => {
  it("stores status, substatus, last event, checkpoints, milestones and transit days", async () => {
    const shop = "push-store.myshopify.com";
    await seedShop(shop, { email });
    const row = await seedTracking(shop, "PUSH0001");
    const data = wireTracking({
      trackingNumber: "PUSH0001",
      status: "transit",
      checkpoints: [pickedUp, hub],
      transitDays: 1,
      itemReceived: at(6),
    });

    const response = await postPush(signedPushBody(email, data));

    expect(response.status).toBe(200);
    const stored = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored).toMatchObject({
      status: "transit",
      carrierStatus: "transit",
      substatus: "transit002",
      lastEvent: "Arrived at sorting hub",
      lastEventAt: at(20),
      transitDays: 1,
      remoteUpdatedAt: at(20),
    });
    expect(stored.statusUpdatedAt).toBeInstanceOf(Date);
    expect(JSON.parse(stored.checkpoints!)).toEqual([
      expect.objectContaining({
        description: "Item accepted by carrier",
        substatus: "transit001",
        time: at(6).toISOString(),
      }),
      expect.objectContaining({ description: "Arrived at sorting hub", location: "Shenzhen, CN" }),
    ]);
    expect(JSON.parse(stored.milestones!)).toEqual({
      origin: { itemReceived: at(6).toISOString() },
      destination: {},
    });
  });

  it("answers a bad or stale signature as it answers any push (200) and changes nothing", async () => {
    const shop = "push-bad-sig.myshopify.com";
    await seedShop(shop, { email });
    const row = await seedTracking(shop, "PUSH0002");
    const data = wireTracking({ trackingNumber: "PUSH0002", status: "transit", checkpoints: [pickedUp] });

    expect((await postPush(signedPushBody("someone-else@x.example", data))).status).toBe(200);
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    expect((await postPush(signedPushBody(email, data, stale))).status).toBe(200);
    const unsigned = JSON.stringify({ meta: {}, data });
    expect((await postPush(unsigned)).status).toBe(200);
    expect(await prisma.trackingMorePush.count({ where: { trackingNumber: "PUSH0002" } })).toBe(0);

    const stored = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored.status).toBe("pending");
    expect(stored.checkpoints).toBeNull();
  });

  it("answers 200 to an unknown tracking and 400 to a malformed body, changing nothing", async () => {
    const shop = "push-unknown.myshopify.com";
    await seedShop(shop, { email });
    const row = await seedTracking(shop, "PUSH0003");
    const unknown = wireTracking({ trackingNumber: "NOBODY999", status: "delivered" });
    expect((await postPush(signedPushBody(email, unknown))).status).toBe(200);
    expect((await postPush("{not json")).status).toBe(400);
    expect((await postPush(JSON.stringify({ data: { status: "transit" } }))).status).toBe(400);
    expect((await postPush(JSON.stringify([1, 2]))).status).toBe(400);
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).updatedAt).toEqual(
      row.updatedAt,
    );
    expect(await prisma.fulfillmentEventRecord.count({ where: { shop } })).toBe(0);
  });

  it("applies a shared number only to the shops whose own email verifies the push", async () => {
    const mine = "push-shared-a.myshopify.com";
    const theirs = "push-shared-b.myshopify.com";
    const noEmail = "push-shared-c.myshopify.com";
    await seedShop(mine, { email });
    await seedShop(theirs, { email: "other-owner@shop-b.example" });
    await seedShop(noEmail, { email: null });
    const a = await seedTracking(mine, "SHARED001");
    const b = await seedTracking(theirs, "SHARED001");
    const c = await seedTracking(noEmail, "SHARED001");
    const data = wireTracking({ trackingNumber: "SHARED001", status: "transit", checkpoints: [pickedUp] });

    expect((await postPush(signedPushBody(email, data))).status).toBe(200);

    const statuses = await prisma.tracking.findMany({ where: { id: { in: [a.id, b.id, c.id] } } });
    expect(Object.fromEntries(statuses.map((s) => [s.shop, s.status]))).toEqual({
      [mine]: "transit",
      [theirs]: "pending",
      [noEmail]: "pending",
    });
    // Nobody's email verifies: answered like any push, kept nowhere.
    expect((await postPush(signedPushBody("stranger@x.example", data), { apply: false })).status).toBe(200);
    expect(await prisma.trackingMorePush.count({ where: { trackingNumber: "SHARED001" } })).toBe(0);
  });

  it("never moves a status backwards: older and repeated pushes are ignored", async () => {
    const shop = "push-order.myshopify.com";
    await seedShop(shop, { email });
    const row = await seedTracking(shop, "PUSH0004");
    const newer = wireTracking({
      trackingNumber: "PUSH0004",
      status: "pickup",
      checkpoints: [pickedUp, hub, outForDelivery],
    });
    const older = wireTracking({
      trackingNumber: "PUSH0004",
      status: "transit",
      checkpoints: [pickedUp, hub],
    });

    expect((await postPush(signedPushBody(email, newer))).status).toBe(200);
    const afterNewer = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect((await postPush(signedPushBody(email, older))).status).toBe(200);
    expect((await postPush(signedPushBody(email, newer))).status).toBe(200);

    const stored = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored.status).toBe("pickup");
    expect(stored.lastEvent).toBe("Out for delivery");
    expect(stored.updatedAt).toEqual(afterNewer.updatedAt);
    expect(stored.statusUpdatedAt).toEqual(afterNewer.statusUpdatedAt);
  });

  it("writes nothing for a snapshot of a new parcel that carries no news", async () => {
    const shop = "push-no-news.myshopify.com";
    await seedShop(shop, { email });
    const row = await seedTracking(shop, "PUSH0009");
    const noNews = wireTracking({ trackingNumber: "PUSH0009", status: "pending" });

    expect((await postPush(signedPushBody(email, noNews))).status).toBe(200);
    const stored = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored.updatedAt).toEqual(row.updatedAt);
    expect(stored.remoteUpdatedAt).toBeNull();
    expect(await prisma.trackingMorePush.count()).toBe(0);

    // The first real scan is news.
    const scanned = wireTracking({ trackingNumber: "PUSH0009", status: "transit", checkpoints: [pickedUp] });
    expect((await postPush(signedPushBody(email, scanned))).status).toBe(200);
    const moved = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect(moved.status).toBe("transit");
    expect(moved.lastEvent).toBe("Item accepted by carrier");
  });

  it("keeps a merchant's manual status over the carrier's until 8 hands it back", async () => {
    const shop = "push-manual.myshopify.com";
    await seedShop(shop, { email });
    const row = await seedTracking(shop, "PUSH0005");

    // TrackingMore answers the manual 7 as status "7"; the carrier's view is in the checkpoints.
    const manual = {
      ...wireTracking({ trackingNumber: "PUSH0005", status: "7", checkpoints: [pickedUp, hub] }),
      substatus: null,
    };
    await postPush(signedPushBody(email, manual));
    let stored = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored).toMatchObject({ status: "exception", manualStatus: 7, carrierStatus: "transit" });

    // The merchant set 8 and TrackingMore answers the carrier's status again.
    const back = wireTracking({
      trackingNumber: "PUSH0005",
      status: "pickup",
      checkpoints: [pickedUp, hub, outForDelivery],
    });
    await postPush(signedPushBody(email, back));
    stored = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored).toMatchObject({ status: "pickup", manualStatus: null, carrierStatus: "pickup" });
  });

  it("does not let TrackingMore's older view undo a manual status not yet sent to it", async () => {
    const shop = "push-manual-pending.myshopify.com";
    await seedShop(shop, { email });
    const row = await seedTracking(shop, "PUSH0006", {
      status: "delivered",
      manualStatus: 4,
      syncState: "pending_update",
      pendingChanges: JSON.stringify({ manualStatus: 4 }),
    });
    await postPush(
      signedPushBody(
        email,
        wireTracking({ trackingNumber: "PUSH0006", status: "transit", checkpoints: [pickedUp, hub] }),
      ),
    );
    const stored = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored).toMatchObject({
      status: "delivered",
      manualStatus: 4,
      carrierStatus: "transit",
      lastEvent: "Arrived at sorting hub",
    });
  });

  it("keeps a push until the apply job applies it", async () => {
    const shop = "push-inbox.myshopify.com";
    await seedShop(shop, { email });
    const row = await seedTracking(shop, "PUSH0007");
    const data = wireTracking({
      trackingNumber: "PUSH0007",
      status: "transit",
      checkpoints: [pickedUp, hub],
    });

    expect((await postPush(signedPushBody(email, data), { apply: false })).status).toBe(200);
    const kept = await prisma.trackingMorePush.findFirstOrThrow({ where: { trackingNumber: "PUSH0007" } });
    expect(JSON.parse(kept.shops)).toEqual([shop]);
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("pending");

    // Pushes that cannot be applied, and rounds cut short: app/pipeline/push-apply/tests.
    expect(await applyReceivedPushes()).toBeGreaterThanOrEqual(1);
    expect(await prisma.trackingMorePush.count({ where: { id: kept.id } })).toBe(0);
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("transit");
  });

  it("judges each of many simultaneous pushes on its own (lookups and commits are shared)", async () => {
    const shop = "push-burst.myshopify.com";
    await seedShop(shop, { email });
    for (let i = 0; i < 12; i++) await seedTracking(shop, `BURST${i}`);
    const bodies = Array.from({ length: 12 }, (_, i) => {
      const data = wireTracking({ trackingNumber: `BURST${i}`, status: "transit", checkpoints: [pickedUp] });
      return signedPushBody(i % 3 === 1 ? "forger@x.example" : email, data);
    });
    bodies.push(signedPushBody(email, wireTracking({ trackingNumber: "NOBODY-BURST", status: "transit" })));

    const statuses = (await Promise.all(bodies.map((b) => postPush(b, { apply: false })))).map(
      (r) => r.status,
    );

    expect(statuses).toEqual(bodies.map(() => 200));
    const kept = await prisma.trackingMorePush.findMany({
      where: { trackingNumber: { startsWith: "BURST" } },
    });
    expect(kept.map((k) => k.trackingNumber).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => i)
        .filter((i) => i % 3 !== 1)
        .map((i) => `BURST${i}`)
        .sort(),
    );
  });
});
