import { afterEach, beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { applyReceivedPushes } from "~/pipeline/push-apply/apply.server";
import { sendDueFulfillmentEvents } from "~/pipeline/write-back/send-events.server";
import { TrackingMoreClient, resetRateLimiters } from "~/trackingmore";
import { setTrackingMoreClientTuning } from "~/trackingmore.server";
import { startEmulator, type EmulatorHandle, type WebhookDelivery } from "../../devkit/emulator";
import { seedOfflineSession } from "../support/shopify";
import {
  HOUR,
  fakeShopifyEvents,
  postPush,
  seedShop,
  seedTracking,
  startPushReceiver,
} from "../status/helpers";

const START = Date.UTC(2026, 2, 1, 8);
const shop = "lifecycle.myshopify.com";
const apiKey = "tm-lifecycle-key";
const email = "owner@lifecycle.example";

let emulator: EmulatorHandle;
let receiver: Awaited<ReturnType<typeof startPushReceiver>>;

beforeEach(async () => {
  resetRateLimiters();
  receiver = await startPushReceiver();
  emulator = await startEmulator({
    accounts: [{ apiKey, email }],
    rateLimits: false,
    clock: { frozen: true, startAt: START },
    webhookUrl: receiver.url,
  });
  // Pushes are applied as TrackingMore confirms them: this emulator, unpaced.
  process.env.TRACKINGMORE_BASE_URL = emulator.baseUrl;
  setTrackingMoreClientTuning({
    rateLimits: { listPerSecond: 0, realtimePerSecond: 0, defaultPerSecond: 0 },
  });
  await seedOfflineSession(shop);
  await seedShop(shop, { apiKey, email });
});
afterEach(async () => {
  await emulator.close();
  await receiver.close();
});

describe("a parcel's life on the emulator clock, written back to Shopify", () => {
  it("follows every push and sends exactly the expected events in order, once each, across a crash", async () => {
    const client = new TrackingMoreClient({ apiKey, baseUrl: emulator.baseUrl });
    await client.createTracking({ trackingNumber: "DLV1000001", carrierCode: "dhl" });
    await client.createTracking({ trackingNumber: "EXC1000002", carrierCode: "dhl" });
    const delivered = await seedTracking(shop, "DLV1000001", { carrierCode: "dhl", fulfillmentId: "7001" });
    await seedTracking(shop, "EXC1000002", { carrierCode: "dhl", fulfillmentId: "7002" });
    const shopify = fakeShopifyEvents();

    const deliveries: WebhookDelivery[] = [];
    const statuses: string[] = ["pending"];
    let crashing = false;
    let restarted = false;
    for (let hour = 1; hour <= 160; hour++) {
      emulator.clock.advance(HOUR);
      const arrived = await emulator.flushWebhooks();
      deliveries.push(...arrived);

      if (!crashing && arrived.some((d) => d.trackingNumber === "DLV1000001" && d.status === "pickup")) {
        // The process dies right after answering the push: nothing but the kept push survives.
        crashing = true;
        expect(await prisma.trackingMorePush.count()).toBe(1);
        expect(shopify.events.filter((e) => e.status === "OUT_FOR_DELIVERY")).toHaveLength(0);
        continue;
      }
      if (crashing && !restarted) {
        // Restarted: the apply job stores the status and queues the event in one transaction,
        // then dies again before the write-back job runs.
        restarted = true;
        await applyReceivedPushes();
        const waiting = await prisma.fulfillmentEventRecord.findFirstOrThrow({
          where: { shop, fulfillmentId: "7001", status: "OUT_FOR_DELIVERY" },
        });
        expect(waiting.state).toBe("pending");
        continue;
      }
      await applyReceivedPushes();
      const row = await prisma.tracking.findUniqueOrThrow({ where: { id: delivered.id } });
      if (row.status !== statuses[statuses.length - 1]) statuses.push(row.status);
      await sendDueFulfillmentEvents();
    }

    // Our rows followed each push.
    expect(deliveries.every((d) => d.httpStatus === 200)).toBe(true);
    expect(deliveries.filter((d) => d.trackingNumber === "DLV1000001").map((d) => d.status)).toEqual([
      "notfound",
      "transit",
      "pickup",
      "delivered",
    ]);
    expect(statuses).toEqual(["pending", "notfound", "transit", "pickup", "delivered"]);
    const finalRow = await prisma.tracking.findUniqueOrThrow({ where: { id: delivered.id } });
    const remote = await client.getTracking("dhl", "DLV1000001");
    expect(finalRow).toMatchObject({
      status: "delivered",
      substatus: "delivered001",
      transitDays: remote.transitDays,
    });
    expect(JSON.parse(finalRow.checkpoints!)).toHaveLength(remote.checkpoints.length);

    // Shopify got exactly these events, in order, once each, at the checkpoints' times.
    const checkpointTime = (description: string) =>
      remote.checkpoints.find((c) => c.description === description)!.time!.toISOString();
    const sent = shopify.events.filter((e) => e.fulfillmentId === "gid://shopify/Fulfillment/7001");
    expect(sent.map((e) => [e.status, e.happenedAt, e.message])).toEqual([
      ["CARRIER_PICKED_UP", checkpointTime("Item accepted by carrier"), "Item accepted by carrier"],
      ["OUT_FOR_DELIVERY", checkpointTime("Out for delivery"), "Out for delivery"],
      ["DELIVERED", checkpointTime("Delivered"), "Delivered"],
    ]);
    const heldByCustoms = shopify.events.filter((e) => e.fulfillmentId === "gid://shopify/Fulfillment/7002");
    expect(heldByCustoms.map((e) => e.status)).toEqual(["CARRIER_PICKED_UP", "DELAYED"]);

    // TrackingMore delivering every push again, newest first, changes nothing and sends nothing.
    const before = await prisma.tracking.findUniqueOrThrow({ where: { id: delivered.id } });
    for (const delivery of [...deliveries].reverse()) {
      expect((await postPush(JSON.stringify(delivery.body))).status).toBe(200);
    }
    await sendDueFulfillmentEvents();
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: delivered.id } })).toEqual(before);
    expect(shopify.mutations()).toHaveLength(5);
    expect(await prisma.fulfillmentEventRecord.count({ where: { shop, state: { not: "sent" } } })).toBe(0);
  });
});
