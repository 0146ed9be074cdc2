import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { queueTrackingChanges } from "~/pipeline/change-push/tracking-changes.server";
import { updateShopSettings } from "~/models/settings.server";
import { deliver, drainPipeline, localTrackings, withPipelineEmulator } from "../support/pipeline";
import { fulfillmentPayload } from "../../devkit/shopify";

// A status the merchant sets by hand (4 delivered, 7 exception) is shipment progress: Shopify's
// order page and customer notifications must hear of it like a carrier's, once.

const pipeline = withPipelineEmulator("manual-status");

async function syncedParcel() {
  const shop = await pipeline.newShop();
  const payload = fulfillmentPayload({ trackingNumbers: [`1ZMAN${Date.now()}`] });
  await deliver("fulfillments/create", shop, payload);
  await drainPipeline();
  const [tracking] = await localTrackings(shop);
  return { shop, tracking, fulfillmentId: String(payload.id) };
}

function recordedEvents(shop: string, fulfillmentId: string) {
  return prisma.fulfillmentEventRecord.findMany({
    where: { shop, fulfillmentId },
    orderBy: { createdAt: "asc" },
  });
}

describe("a manual status", () => {
  it("queues the matching Shopify fulfillment event once, and 8 hands the status back", async () => {
    const { shop, tracking, fulfillmentId } = await syncedParcel();

    await queueTrackingChanges(shop, [tracking.id], { manualStatus: 7 });
    await queueTrackingChanges(shop, [tracking.id], { manualStatus: 7 });
    expect((await recordedEvents(shop, fulfillmentId)).map((e) => e.status)).toEqual(["FAILURE"]);
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: tracking.id } })).toMatchObject({
      manualStatus: 7,
      status: "exception",
    });

    await queueTrackingChanges(shop, [tracking.id], { manualStatus: 8 });
    const handedBack = await prisma.tracking.findUniqueOrThrow({ where: { id: tracking.id } });
    expect(handedBack.manualStatus).toBeNull();
    expect(handedBack.status).toBe(handedBack.carrierStatus ?? "pending");

    await queueTrackingChanges(shop, [tracking.id], { manualStatus: 4 });
    expect((await recordedEvents(shop, fulfillmentId)).map((e) => e.status)).toEqual([
      "FAILURE",
      "DELIVERED",
    ]);
  });

  it("writes nothing for Shopify when the shop turned write-back off", async () => {
    const { shop, tracking, fulfillmentId } = await syncedParcel();
    await updateShopSettings(shop, { writeBackEnabled: false });
    await queueTrackingChanges(shop, [tracking.id], { manualStatus: 4 });
    expect(await recordedEvents(shop, fulfillmentId)).toEqual([]);
  });
});
