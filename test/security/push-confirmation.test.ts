import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { applyReceivedPushes } from "~/pipeline/push-apply/apply.server";
import { carrierSays, HOUR, postPush, seedShop, seedTracking, statusTrackingMore } from "../status/helpers";
import { signedPushBody, wireTracking } from "../../devkit/trackingmore-wire";

// A push is a hint: TrackingMore signs only timeStr, so a captured verifyInfo verifies on any
// data. Reproduced before: a replayed verifyInfo on altered data set another tracking to
// "delivered", which is written back to Shopify and may email the customer. Now only what the
// shop's own TrackingMore account confirms is applied.
const email = "owner@confirm.example";
const t0 = new Date(Date.now() - 48 * HOUR);
const scan = (hours: number, status: string, description: string) => ({
  at: new Date(t0.getTime() + hours * HOUR),
  status,
  description,
  location: "Memphis, US",
});
const pickedUp = scan(1, "transit", "Item accepted by carrier");
const delivered = scan(30, "delivered", "Delivered, front door");

describe("pushes confirmed with TrackingMore before they are applied", () => {
  it("applies what TrackingMore holds, not what an altered push says", async () => {
    const shop = "confirm-altered.myshopify.com";
    await seedShop(shop, { email });
    const victim = await seedTracking(shop, "CONFIRM0001");
    await carrierSays(
      wireTracking({ trackingNumber: "CONFIRM0001", status: "transit", checkpoints: [pickedUp] }),
    );

    // A genuine signature (any push's verifyInfo) on data the attacker wrote.
    const forged = wireTracking({
      trackingNumber: "CONFIRM0001",
      status: "delivered",
      checkpoints: [pickedUp, delivered],
    });
    expect((await postPush(signedPushBody(email, forged), { confirmed: false })).status).toBe(200);

    const stored = await prisma.tracking.findUniqueOrThrow({ where: { id: victim.id } });
    expect(stored).toMatchObject({ status: "transit", lastEvent: "Item accepted by carrier" });
    expect(await prisma.fulfillmentEventRecord.count({ where: { shop, status: "DELIVERED" } })).toBe(0);
    expect(await prisma.trackingMorePush.count({ where: { trackingNumber: "CONFIRM0001" } })).toBe(0);
  });

  it("applies nothing for a tracking TrackingMore does not hold", async () => {
    const shop = "confirm-unknown.myshopify.com";
    await seedShop(shop, { email });
    const row = await seedTracking(shop, "CONFIRM0002");
    const forged = wireTracking({
      trackingNumber: "CONFIRM0002",
      status: "delivered",
      checkpoints: [pickedUp, delivered],
    });
    await postPush(signedPushBody(email, forged), { confirmed: false });
    const stored = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect([stored.status, stored.updatedAt]).toEqual(["pending", row.updatedAt]);
  });

  it("asks about many pushed numbers in batches of 40 (GET /trackings/get by numbers)", async () => {
    const shop = "confirm-batch.myshopify.com";
    await seedShop(shop, { email });
    const numbers = Array.from({ length: 45 }, (_, i) => `CONFBATCH${String(i).padStart(3, "0")}`);
    for (const number of numbers) {
      await seedTracking(shop, number);
      const data = wireTracking({ trackingNumber: number, status: "transit", checkpoints: [pickedUp] });
      await postPush(signedPushBody(email, data), { apply: false });
    }
    const tm = await statusTrackingMore();
    tm.emulator.resetStats();
    expect(await applyReceivedPushes({ batchSize: 100 })).toBe(45);
    expect(tm.emulator.stats().calls[tm.apiKey]).toEqual({ "GET /trackings/get": 2 });
    const statuses = await prisma.tracking.findMany({ where: { shop }, select: { status: true } });
    expect(statuses.map((s) => s.status)).toEqual(numbers.map(() => "transit"));
  });

  it("keeps a push for a retry while TrackingMore cannot be asked", async () => {
    const shop = "confirm-outage.myshopify.com";
    await seedShop(shop, { email });
    const row = await seedTracking(shop, "CONFIRM0003");
    const data = wireTracking({ trackingNumber: "CONFIRM0003", status: "transit", checkpoints: [pickedUp] });
    await postPush(signedPushBody(email, data), { apply: false });
    await carrierSays(data);
    const tm = await statusTrackingMore();
    tm.emulator.setFaults({ error500: 1, endpoints: ["GET /trackings/get"] });
    try {
      expect(await applyReceivedPushes()).toBe(0);
    } finally {
      tm.emulator.setFaults({});
    }
    const kept = await prisma.trackingMorePush.findFirstOrThrow({ where: { trackingNumber: "CONFIRM0003" } });
    expect(kept.lastError).toBeTruthy();
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("pending");
    expect(await applyReceivedPushes({ now: () => new Date(Date.now() + HOUR) })).toBe(1);
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("transit");
  });
});
