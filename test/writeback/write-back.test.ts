import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { updateShopSettings } from "~/models/settings.server";
import { fulfillmentEventStatusFor, placeOf } from "~/pipeline/write-back/event-mapping.server";
import { sendDueFulfillmentEvents } from "~/pipeline/write-back/send-events.server";
import { seedOfflineSession } from "../support/shopify";
import { HOUR, fakeShopifyEvents, postPush, seedShop, seedTracking } from "../status/helpers";
import { signedPushBody, wireTracking } from "../../devkit/trackingmore-wire";

const email = "owner@writeback.example";
const t0 = new Date(Date.UTC(2026, 10, 20, 8, 0, 0));
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
const cp = {
  pickedUp: {
    at: at(6),
    status: "transit",
    substatus: "transit001",
    description: "Item accepted by carrier",
    location: "Shenzhen, CN",
  },
  hub: {
    at: at(20),
    status: "transit",
    substatus: "transit002",
    description: "Arrived at sorting hub",
    location: "Shenzhen, CN",
  },
  out: {
    at: at(100),
    status: "pickup",
    substatus: "pickup001",
    description: "Out for delivery",
    location: "Memphis, US",
    leg: "destination" as const,
  },
  delivered: {
    at: at(106),
    status: "delivered",
    substatus: "delivered001",
    description: "Delivered",
    location: "Memphis, US",
    leg: "destination" as const,
  },
};
const journey = [cp.pickedUp, cp.hub, cp.out, cp.delivered];

async function push(trackingNumber: string, status: string, checkpoints: typeof journey) {
  const response = await postPush(
    signedPushBody(email, wireTracking({ trackingNumber, status, checkpoints })),
  );
  expect(response.status).toBe(200);
}

async function installedShop(shop: string) {
  await seedOfflineSession(shop);
  await seedShop(shop, { email });
}

describe("status → Shopify fulfillment event mapping", () => {
  it("maps TrackingMore statuses as documented", () => {
    const at1 = (
      status: string,
      substatus: string | null,
      checkpoints: { status: string; substatus: string | null; description: string }[] = [],
    ) =>
      fulfillmentEventStatusFor({
        status,
        substatus,
        checkpoints: checkpoints.map((c) => ({ ...c, time: null, location: null, leg: "origin" as const })),
      });
    expect(at1("pending", null)).toBeNull();
    expect(at1("notfound", "notfound001")).toBeNull();
    expect(at1("expired", null)).toBeNull();
    expect(
      at1("transit", "transit001", [
        { status: "transit", substatus: "transit001", description: "Picked up" },
      ]),
    ).toBe("CARRIER_PICKED_UP");
    expect(
      at1("transit", "transit002", [
        { status: "transit", substatus: "transit001", description: "Picked up" },
        { status: "transit", substatus: "transit002", description: "Hub" },
      ]),
    ).toBe("IN_TRANSIT");
    expect(
      at1("transit", "transit004", [
        { status: "transit", substatus: "transit004", description: "Arrived in country" },
      ]),
    ).toBe("IN_TRANSIT");
    expect(at1("pickup", "pickup001")).toBe("OUT_FOR_DELIVERY");
    expect(at1("pickup", "pickup002")).toBe("READY_FOR_PICKUP");
    expect(at1("undelivered", "undelivered002")).toBe("ATTEMPTED_DELIVERY");
    expect(at1("exception", "exception006")).toBe("DELAYED");
    expect(at1("exception", "exception010")).toBe("FAILURE");
    expect(at1("exception", null)).toBe("FAILURE");
    expect(at1("delivered", "delivered001")).toBe("DELIVERED");
    expect(placeOf("Memphis, US")).toEqual({ city: "Memphis", province: null, country: "US", zip: null });
    expect(placeOf("Memphis, TN 38118, US")).toEqual({
      city: "Memphis",
      province: "TN",
      country: "US",
      zip: "38118",
    });
    expect(placeOf(null)).toEqual({ city: null, province: null, country: null, zip: null });
  });
});

describe("write-back of fulfillment events", () => {
  it("sends the event with the checkpoint's time, message and place, once across rounds", async () => {
    const shop = "wb-once.myshopify.com";
    await installedShop(shop);
    await seedTracking(shop, "WB0001", { fulfillmentId: "5001" });
    const shopify = fakeShopifyEvents();

    await push("WB0001", "pickup", [cp.pickedUp, cp.hub, cp.out]);
    await push("WB0001", "pickup", [cp.pickedUp, cp.hub, cp.out]);
    expect(await sendDueFulfillmentEvents()).toBe(1);
    expect(await sendDueFulfillmentEvents()).toBe(0);

    expect(shopify.mutations().map((c) => c.variables.fulfillmentEvent)).toEqual([
      {
        fulfillmentId: "gid://shopify/Fulfillment/5001",
        status: "OUT_FOR_DELIVERY",
        happenedAt: at(100).toISOString(),
        message: "Out for delivery",
        city: "Memphis",
        country: "US",
      },
    ]);
    expect(shopify.calls[0].accessToken).toBe("shpat_seeded_token");
    const record = await prisma.fulfillmentEventRecord.findFirstOrThrow({ where: { shop } });
    expect(record).toMatchObject({
      state: "sent",
      shopifyEventId: "gid://shopify/FulfillmentEvent/1",
      // Attempts count failures (the durable queue's back-off); this one never failed.
      attempts: 0,
    });
  });

  it("gives a shared fulfillment its least advanced parcel's status, delivered only when all are", async () => {
    const shop = "wb-shared.myshopify.com";
    await installedShop(shop);
    await seedTracking(shop, "WB0002A", { fulfillmentId: "5002" });
    await seedTracking(shop, "WB0002B", { fulfillmentId: "5002" });
    const shopify = fakeShopifyEvents();

    await push("WB0002A", "delivered", journey);
    await sendDueFulfillmentEvents();
    expect(shopify.mutations()).toHaveLength(0); // B has not moved yet: nothing to say

    await push("WB0002B", "transit", [cp.pickedUp, cp.hub]);
    await sendDueFulfillmentEvents();
    await push("WB0002B", "pickup", [cp.pickedUp, cp.hub, cp.out]);
    await sendDueFulfillmentEvents();
    await push("WB0002B", "delivered", journey);
    await sendDueFulfillmentEvents();

    expect(
      shopify.mutations().map((c) => (c.variables.fulfillmentEvent as { status: string }).status),
    ).toEqual(["IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED"]);
  });

  it("creates no records when the shop turned write-back off", async () => {
    const shop = "wb-off.myshopify.com";
    await installedShop(shop);
    await updateShopSettings(shop, { writeBackEnabled: false });
    const row = await seedTracking(shop, "WB0003", { fulfillmentId: "5003" });
    const shopify = fakeShopifyEvents();

    await push("WB0003", "delivered", journey);
    await sendDueFulfillmentEvents();

    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("delivered");
    expect(await prisma.fulfillmentEventRecord.count({ where: { shop } })).toBe(0);
    expect(shopify.calls).toHaveLength(0);
  });

  it("reports a fulfillment that no longer exists on the record and the tracking", async () => {
    const shop = "wb-gone.myshopify.com";
    await installedShop(shop);
    const row = await seedTracking(shop, "WB0004", { fulfillmentId: "5004" });
    const shopify = fakeShopifyEvents();
    shopify.forget("gid://shopify/Fulfillment/5004");

    await push("WB0004", "delivered", journey);
    await sendDueFulfillmentEvents();
    await sendDueFulfillmentEvents();

    expect(shopify.mutations()).toHaveLength(1);
    const record = await prisma.fulfillmentEventRecord.findFirstOrThrow({ where: { shop } });
    // Dead-lettered: kept with its reason, out of the queue until retried.
    expect(record.deadAt).not.toBeNull();
    expect(record.lastError).toMatch(/no longer exists.*does not exist/);
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).writeBackError).toMatch(
      /no longer exists/,
    );
  });

  it("reports a missing scope (ACCESS_DENIED) once, without retrying it endlessly", async () => {
    const shop = "wb-scope.myshopify.com";
    await installedShop(shop);
    const row = await seedTracking(shop, "WB0005", { fulfillmentId: "5005" });
    const shopify = fakeShopifyEvents(() => ({
      errors: [
        { message: "Access denied for fulfillmentEventCreate field.", extensions: { code: "ACCESS_DENIED" } },
      ],
    }));

    await push("WB0005", "delivered", journey);
    await sendDueFulfillmentEvents({ now: () => new Date() });
    await sendDueFulfillmentEvents({ now: () => new Date(Date.now() + 48 * HOUR) });

    expect(shopify.calls).toHaveLength(1);
    const record = await prisma.fulfillmentEventRecord.findFirstOrThrow({ where: { shop } });
    expect(record.deadAt).not.toBeNull();
    expect(record.lastError).toMatch(/write_fulfillments.*ACCESS_DENIED/);
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).writeBackError).toMatch(
      /ACCESS_DENIED/,
    );
  });

  it("backs off a throttled shop until enough cost points are restored, then sends", async () => {
    const shop = "wb-throttle.myshopify.com";
    await installedShop(shop);
    await seedTracking(shop, "WB0006", { fulfillmentId: "5006" });
    await seedTracking(shop, "WB0007", { fulfillmentId: "5007" });
    let throttle = true;
    const shopify = fakeShopifyEvents(() =>
      throttle
        ? {
            errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
            extensions: {
              cost: {
                requestedQueryCost: 10,
                throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 2 },
              },
            },
          }
        : undefined,
    );
    await push("WB0006", "delivered", journey);
    await push("WB0007", "delivered", journey);

    const start = Date.now();
    await sendDueFulfillmentEvents({ now: () => new Date(start) });
    // One call, then the whole shop waits: (10 - 0) / 2 = 5 s.
    expect(shopify.calls).toHaveLength(1);
    const paused = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(paused.writeBackPausedUntil?.getTime()).toBe(start + 5_000);
    const waiting = await prisma.fulfillmentEventRecord.findMany({ where: { shop } });
    expect(waiting.map((r) => [r.state, r.attempts])).toEqual([
      ["pending", 0],
      ["pending", 0],
    ]);

    throttle = false;
    await sendDueFulfillmentEvents({ now: () => new Date(start + 4_000) });
    expect(shopify.calls).toHaveLength(1);
    await sendDueFulfillmentEvents({ now: () => new Date(start + 5_000) });
    expect(shopify.mutations()).toHaveLength(3);
    expect(shopify.events.map((e) => e.fulfillmentId).sort()).toEqual([
      "gid://shopify/Fulfillment/5006",
      "gid://shopify/Fulfillment/5007",
    ]);
  });

  it("treats HTTP 429 as throttling and 5xx as a retry with back-off, never dropping the event", async () => {
    const shop = "wb-http.myshopify.com";
    await installedShop(shop);
    const row = await seedTracking(shop, "WB0008", { fulfillmentId: "5008" });
    const answers = [
      () => new HttpResponse("Too many", { status: 429, headers: { "Retry-After": "3" } }),
      () => new HttpResponse("boom", { status: 502 }),
    ];
    const shopify = fakeShopifyEvents(() => answers.shift()?.());
    await push("WB0008", "delivered", journey);

    const start = Date.now();
    await sendDueFulfillmentEvents({ now: () => new Date(start) });
    let record = await prisma.fulfillmentEventRecord.findFirstOrThrow({ where: { shop } });
    expect(record).toMatchObject({ state: "pending", attempts: 0 });
    expect(record.nextAttemptAt.getTime()).toBe(start + 3_000);

    await sendDueFulfillmentEvents({ now: () => new Date(start + 3_000) });
    record = await prisma.fulfillmentEventRecord.findFirstOrThrow({ where: { shop } });
    expect(record).toMatchObject({ state: "pending", attempts: 1 });
    expect(record.lastError).toMatch(/502/);
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).writeBackError).toMatch(
      /502/,
    );
    expect(record.nextAttemptAt.getTime()).toBe(start + 3_000 + 30_000);

    await sendDueFulfillmentEvents({ now: () => new Date(start + 33_000) });
    record = await prisma.fulfillmentEventRecord.findFirstOrThrow({ where: { shop } });
    expect(record.state).toBe("sent");
    expect(shopify.events).toHaveLength(1);
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).writeBackError).toBeNull();
  });

  it("sends a fulfillment's events in the order they happened, whatever order they were queued in", async () => {
    const shop = "wb-order.myshopify.com";
    await installedShop(shop);
    const shopify = fakeShopifyEvents();
    const base = { shop, fulfillmentId: "5009", state: "pending" };
    await prisma.fulfillmentEventRecord.create({
      data: { ...base, status: "DELIVERED", happenedAt: at(106) },
    });
    await prisma.fulfillmentEventRecord.create({
      data: { ...base, status: "IN_TRANSIT", happenedAt: at(20) },
    });
    await prisma.fulfillmentEventRecord.create({
      data: { ...base, status: "OUT_FOR_DELIVERY", happenedAt: at(100) },
    });

    await sendDueFulfillmentEvents();

    expect(shopify.events.map((e) => e.status)).toEqual(["IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED"]);
  });

  it("after a send whose answer was lost, asks Shopify before sending again", async () => {
    const shop = "wb-lost.myshopify.com";
    await installedShop(shop);
    await seedTracking(shop, "WB0010", { fulfillmentId: "5010" });
    const shopify = fakeShopifyEvents();
    await push("WB0010", "pickup", [cp.pickedUp, cp.hub, cp.out]);
    await sendDueFulfillmentEvents();
    expect(shopify.events).toHaveLength(1);

    // The worker crashed after Shopify created the event but before it recorded so.
    await prisma.fulfillmentEventRecord.updateMany({
      where: { shop },
      data: {
        state: "sending",
        shopifyEventId: null,
        leaseOwner: "crashed-worker",
        leaseUntil: new Date(Date.now() - 1_000),
      },
    });
    await sendDueFulfillmentEvents();

    expect(shopify.events).toHaveLength(1);
    expect(shopify.mutations()).toHaveLength(1);
    const record = await prisma.fulfillmentEventRecord.findFirstOrThrow({ where: { shop } });
    expect(record).toMatchObject({ state: "sent", shopifyEventId: shopify.events[0].id });
  });
});
