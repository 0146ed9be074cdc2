import { listDeadLetters } from "~/pipeline/queue/dead-letters.server";
import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { saveTrackingMoreApiKey, updateShopSettings } from "~/models/settings.server";
import {
  deliver,
  drainPipeline,
  localTrackings,
  withPipelineEmulator,
  trackingsAtTrackingMore,
} from "../../../../test/support/pipeline";
import { fulfillmentPayload } from "../../../../devkit/shopify";
import { webhookRequest } from "../../../../test/support/shopify";
import { receiveFulfillmentWebhook } from "~/webhooks/webhooks.server";
import { ingestLagMs } from "~/pipeline/ingest/ingest.server";
import { ingestDeliveriesJob } from "~/pipeline/ingest/job.server";

const pipeline = withPipelineEmulator("pipeline");

const newShop = (withKey = true) => pipeline.newShop(withKey);

async function atTrackingMore(numbers: string[]) {
  const all = await trackingsAtTrackingMore(pipeline.current().client);
  return all.filter((t) => numbers.includes(t.trackingNumber));
}

describe("receiving fulfillment webhooks", () => {
  it("acknowledges without calling TrackingMore and records the delivery once", async () => {
    const shop = await newShop();
    const before = pipeline.current().emulator.stats().calls[pipeline.current().apiKey] ?? {};
    const payload = fulfillmentPayload();
    const first = await deliver("fulfillments/create", shop, payload, "delivery-1-" + shop);
    const again = await deliver("fulfillments/create", shop, payload, "delivery-1-" + shop);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(pipeline.current().emulator.stats().calls[pipeline.current().apiKey] ?? {}).toEqual(before);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(1);
    // Written with raw SQL on the hot path: Prisma must read its dates back as it writes them.
    const recorded = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } });
    expect(Math.abs(recorded.receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(
      await prisma.webhookDelivery.count({
        where: { shop, receivedAt: { lt: new Date(Date.now() + 60_000) } },
      }),
    ).toBe(1);
  });

  it("answers 401 to a bad signature and 400 to malformed JSON, changing nothing", async () => {
    const shop = await newShop();
    const bad = await receiveFulfillmentWebhook(
      webhookRequest({ topic: "fulfillments/create", shop, body: fulfillmentPayload(), apiSecret: "wrong" }),
    ).catch((r: Response) => r);
    const malformed = await receiveFulfillmentWebhook(
      webhookRequest({ topic: "fulfillments/create", shop, body: '{"id": 1,' }),
    ).catch((r: Response) => r);
    expect(bad.status).toBe(401);
    expect(malformed.status).toBe(400);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
  });

  it("knows how long deliveries wait for ingest, and lets bursts delay it only so long", async () => {
    const shop = await newShop();
    await deliver("fulfillments/create", shop, fulfillmentPayload());
    expect(await ingestLagMs(new Date(Date.now() + 10_000))).toBeGreaterThanOrEqual(9_000);
    // The ingest job gives way to a webhook burst only while nothing has waited 5 s.
    const ingestJob = ingestDeliveriesJob();
    expect(await ingestJob.canYieldToIntake?.()).toBe(true);
    await prisma.webhookDelivery.updateMany({
      where: { shop },
      data: { receivedAt: new Date(Date.now() - 6_000) },
    });
    expect(await ingestJob.canYieldToIntake?.()).toBe(false);
    await drainPipeline();
    expect(await ingestLagMs()).toBe(0);
  });

  it("acknowledges and drops deliveries for a shop without a session", async () => {
    const shop = `never-installed-${Date.now()}.myshopify.com`;
    const response = await deliver("fulfillments/create", shop, fulfillmentPayload());
    expect(response.status).toBe(200);
    await drainPipeline();
    expect(await prisma.tracking.count({ where: { shop } })).toBe(0);
    const record = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } });
    expect(record.outcome).toBe("dropped_uninstalled");
    expect(record.payload).toBeNull();
  });
});

describe("fulfillments become TrackingMore trackings", () => {
  it("creates one tracking per number with the order and customer fields, exactly once", async () => {
    const shop = await newShop();
    const numbers = ["1Z999AA10000000001", "1Z999AA10000000002"];
    const payload = fulfillmentPayload({ orderName: "#1001", trackingNumbers: numbers });
    await deliver("fulfillments/create", shop, payload);
    // Shopify also sends the whole order: same parcels, one more source of customer data.
    await deliver("orders/fulfilled", shop, {
      id: payload.order_id,
      name: "#1001",
      email: "ada@example.com",
      phone: "+44 20 7946 0000",
      customer: { first_name: "Ada", last_name: "Lovelace" },
      fulfillments: [payload],
    });
    await drainPipeline();

    const remote = await atTrackingMore(numbers);
    expect(remote).toHaveLength(2);
    for (const tracking of remote) {
      expect(tracking).toMatchObject({
        carrierCode: "ups",
        orderId: "#1001",
        customerName: "Ada Lovelace",
        customerEmail: "ada@example.com",
        customerPhone: "+44 20 7946 0958",
        destinationCode: "GB",
        title: "Analytical Engine",
      });
    }
    const local = await localTrackings(shop);
    expect(local.map((t) => [t.trackingNumber, t.syncState])).toEqual([
      [numbers[0], "synced"],
      [numbers[1], "synced"],
    ]);
    expect(local.every((t) => t.trackingMoreId)).toBe(true);
  });

  it("records a fulfillment without a number visibly, with no tracking", async () => {
    const shop = await newShop();
    await deliver("fulfillments/create", shop, {
      ...fulfillmentPayload({ trackingNumbers: [] }),
      tracking_number: null,
    });
    await drainPipeline();
    const fulfillment = await prisma.fulfillment.findFirstOrThrow({ where: { shop } });
    expect(fulfillment.note).toMatch(/without a tracking number/);
    expect(await prisma.tracking.count({ where: { shop } })).toBe(0);
  });

  it("detects an unknown company's carrier once per number shape", async () => {
    const shop = await newShop();
    const detectCalls = () =>
      pipeline.current().emulator.stats().calls[pipeline.current().apiKey]?.["POST /carriers/detect"] ?? 0;
    const before = detectCalls();
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({
        trackingCompany: "Speedy Bulgarian Freight",
        trackingNumbers: ["1Z999AA10000000101"],
      }),
    );
    await drainPipeline();
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({
        trackingCompany: "Speedy Bulgarian Freight",
        trackingNumbers: ["1Z999AA10000000102"],
      }),
    );
    await drainPipeline();
    expect(detectCalls() - before).toBe(1);
    const local = await localTrackings(shop);
    expect(local.map((t) => [t.carrierCode, t.carrierSource, t.syncState])).toEqual([
      ["ups", "detected", "synced"],
      ["ups", "detected", "synced"],
    ]);
  });

  it("keeps a number no carrier matches as needing a carrier, with the reason", async () => {
    const shop = await newShop();
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({ trackingCompany: null, trackingNumbers: ["??"] }),
    );
    await drainPipeline();
    const [tracking] = await localTrackings(shop);
    expect(tracking.syncState).toBe("needs_carrier");
    expect(tracking.lastError).toMatch(/carrier/i);
  });

  it("waits for an API key, then sends when the merchant adds one", async () => {
    const shop = await newShop(false);
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({ trackingNumbers: ["1Z999AA10000000201"] }),
    );
    await drainPipeline();
    expect((await localTrackings(shop))[0]).toMatchObject({ syncState: "waiting_api_key" });
    expect(await atTrackingMore(["1Z999AA10000000201"])).toHaveLength(0);

    await saveTrackingMoreApiKey(shop, pipeline.current().apiKey);
    await drainPipeline();
    expect((await localTrackings(shop))[0]).toMatchObject({ syncState: "synced" });
    expect(await atTrackingMore(["1Z999AA10000000201"])).toHaveLength(1);
  });

  it("links a tracking TrackingMore already has (4016) instead of failing", async () => {
    const shop = await newShop();
    await pipeline
      .current()
      .client.createTracking({ trackingNumber: "1Z999AA10000000301", carrierCode: "ups" });
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({ trackingNumbers: ["1Z999AA10000000301"] }),
    );
    await drainPipeline();
    const [tracking] = await localTrackings(shop);
    expect(tracking.syncState).toBe("synced");
    expect(tracking.trackingMoreId).toBeTruthy();
    expect(await atTrackingMore(["1Z999AA10000000301"])).toHaveLength(1);
  });

  it("marks a number TrackingMore refuses as needing attention, with its message", async () => {
    const shop = await newShop();
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({ trackingCompany: "UPS", trackingNumbers: ["X"] }),
    );
    await drainPipeline();
    const [tracking] = await localTrackings(shop);
    // A refusal no retry can mend: dead-lettered at once, shown as needing attention.
    expect(tracking.deadAt).not.toBeNull();
    expect(tracking.lastError).toMatch(/TrackingMore refused this tracking \(40\d\d\)/);
    expect(await listDeadLetters(shop)).toEqual([
      expect.objectContaining({ stage: "dispatch", subject: tracking.trackingNumber }),
    ]);
  });

  it("does not create trackings when the shop turned creation off", async () => {
    const shop = await newShop();
    await updateShopSettings(shop, { createOnFulfillment: false });
    await deliver("fulfillments/create", shop, fulfillmentPayload());
    await drainPipeline();
    expect(await prisma.tracking.count({ where: { shop } })).toBe(0);
    expect((await prisma.fulfillment.findFirstOrThrow({ where: { shop } })).note).toMatch(/turned off/);
  });
});

describe("fulfillments/update", () => {
  it("creates a changed number's tracking and archives the old one", async () => {
    const shop = await newShop();
    const original = fulfillmentPayload({ trackingNumbers: ["1Z999AA10000000401"] });
    await deliver("fulfillments/create", shop, original);
    await drainPipeline();
    await deliver("fulfillments/update", shop, {
      ...original,
      tracking_number: "1Z999AA10000000402",
      tracking_numbers: ["1Z999AA10000000402"],
      updated_at: "2026-11-20T11:00:00-05:00",
    });
    await drainPipeline();
    const remote = await atTrackingMore(["1Z999AA10000000401", "1Z999AA10000000402"]);
    expect(remote.map((t) => [t.trackingNumber, t.archived]).sort()).toEqual([
      ["1Z999AA10000000401", true],
      ["1Z999AA10000000402", false],
    ]);
  });

  it("ignores an update older than what was applied", async () => {
    const shop = await newShop();
    const newer = fulfillmentPayload({
      trackingNumbers: ["1Z999AA10000000501"],
      updatedAt: "2026-11-21T10:00:00Z",
    });
    await deliver("fulfillments/update", shop, newer);
    await drainPipeline();
    await deliver("fulfillments/update", shop, {
      ...newer,
      status: "cancelled",
      updated_at: "2026-11-20T10:00:00Z",
    });
    await drainPipeline();
    expect((await localTrackings(shop))[0]).toMatchObject({ archived: false, syncState: "synced" });
  });

  it("uses the change-carrier endpoint when the company changes", async () => {
    const shop = await newShop();
    const original = fulfillmentPayload({ trackingCompany: "UPS", trackingNumbers: ["1Z999AA10000000601"] });
    await deliver("fulfillments/create", shop, original);
    await drainPipeline();
    await deliver("fulfillments/update", shop, {
      ...original,
      tracking_company: "FedEx",
      updated_at: "2026-11-20T12:00:00-05:00",
    });
    await drainPipeline();
    const [remote] = await atTrackingMore(["1Z999AA10000000601"]);
    expect(remote.carrierCode).toBe("fedex");
    expect((await localTrackings(shop))[0]).toMatchObject({ carrierCode: "fedex", syncState: "synced" });
  });

  it.each([
    ["archive", 1, true],
    ["delete", 0, null],
    ["keep", 1, false],
  ] as const)(
    "a cancelled fulfillment follows the shop's choice: %s",
    async (action, remaining, archived) => {
      const shop = await newShop();
      await updateShopSettings(shop, { cancelledFulfillmentAction: action });
      const number = `1Z999AA1000000070${["archive", "delete", "keep"].indexOf(action)}`;
      const original = fulfillmentPayload({ trackingNumbers: [number] });
      await deliver("fulfillments/create", shop, original);
      await drainPipeline();
      await deliver("fulfillments/update", shop, {
        ...original,
        status: "cancelled",
        updated_at: "2026-11-20T13:00:00-05:00",
      });
      await drainPipeline();
      const remote = await atTrackingMore([number]);
      expect(remote).toHaveLength(remaining);
      if (archived !== null) expect(remote[0].archived).toBe(archived);
    },
  );
});
