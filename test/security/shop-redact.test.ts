import { describe, expect, it } from "vitest";
import prisma, { Prisma } from "~/db/client.server";
import { eraseAtTrackingMore } from "~/pipeline/erasure/shop-erasure.server";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { callRoute } from "../support/routes";
import { webhookRequest } from "../support/shopify";
import { deliver, drainPipeline, trackingsAtTrackingMore, withPipelineEmulator } from "../support/pipeline";
import { ADA, fulfillmentPayload } from "../../devkit/shopify";

// shop/redact: nothing of the shop remains in any table, and its customers' data is cleared at
// TrackingMore too, through a durable queue that outlasts an outage.
const pipeline = withPipelineEmulator("shop-redact");
const HOUR = 3_600_000;

async function shopWithParcels(count: number) {
  const shop = await pipeline.newShop();
  const numbers: string[] = [];
  for (let i = 0; i < count; i++) {
    const number = `1ZSR${String(Date.now() % 1e8)}${String(i).padStart(3, "0")}`;
    numbers.push(number);
    await deliver(
      "fulfillments/create",
      shop,
      fulfillmentPayload({
        trackingNumbers: [number],
        customer: {
          ...ADA,
          firstName: "Customer",
          lastName: String(i),
          email: `customer${i}@example.com`,
          phone: `+1 555 01${String(i).padStart(2, "0")}`,
        },
      }),
    );
  }
  await drainPipeline();
  return { shop, numbers };
}

/** Rows of any model with any text column mentioning the shop (its domain), by model. */
async function rowsMentioning(shop: string): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const model of Prisma.dmmf.datamodel.models) {
    const delegate = (prisma as unknown as Record<string, { count(args: object): Promise<number> }>)[
      model.name[0].toLowerCase() + model.name.slice(1)
    ];
    const textFields = model.fields.filter((f) => f.kind === "scalar" && f.type === "String");
    if (textFields.length === 0) continue;
    const count = await delegate.count({
      where: { OR: textFields.map((f) => ({ [f.name]: { contains: shop } })) },
    });
    if (count > 0) found[model.name] = count;
  }
  return found;
}

describe("shop/redact, hardened", () => {
  it("leaves no row of the shop in any table and clears its customers at TrackingMore, outage or not", async () => {
    const { shop, numbers } = await shopWithParcels(42);
    const other = await shopWithParcels(1);
    await prisma.trackingMorePush.createMany({
      data: [
        { carrierCode: "ups", trackingNumber: numbers[0], shops: JSON.stringify([shop]), data: "{}" },
        {
          carrierCode: "ups",
          trackingNumber: "SHARED-1",
          shops: JSON.stringify([shop, other.shop]),
          data: "{}",
        },
      ],
    });
    expect(Object.keys(await rowsMentioning(shop)).length).toBeGreaterThan(3);

    const { emulator, client } = pipeline.current();
    emulator.setFaults({ error500: 1, endpoints: ["POST /trackings/updatemore"] });
    const response = await callRoute(
      shopRedact,
      webhookRequest({ topic: "shop/redact", shop, body: { shop_domain: shop } }),
    );
    expect(response.status).toBe(200);
    expect(await rowsMentioning(shop)).toEqual({});
    expect(
      (await prisma.trackingMorePush.findFirstOrThrow({ where: { trackingNumber: "SHARED-1" } })).shops,
    ).toBe(JSON.stringify([other.shop]));

    // TrackingMore is down: the erasure waits, with the reason, and is not lost.
    expect(await eraseAtTrackingMore()).toBe(0);
    const waiting = await prisma.remoteCustomerErasure.findMany();
    expect(waiting).toHaveLength(2); // 42 trackings: 40 + 2
    expect(waiting.every((row) => row.lastError && row.nextAttemptAt.getTime() > Date.now())).toBe(true);

    emulator.setFaults({});
    expect(await eraseAtTrackingMore({ now: () => new Date(Date.now() + 2 * HOUR) })).toBe(2);
    expect(await prisma.remoteCustomerErasure.count()).toBe(0);
    const remote = await trackingsAtTrackingMore(client);
    const ours = remote.filter((t) => numbers.includes(t.trackingNumber));
    expect(ours).toHaveLength(42);
    for (const t of ours) {
      expect(
        [t.customerName ?? null, t.customerEmail ?? null, t.customerPhone ?? null],
        t.trackingNumber,
      ).toEqual([null, null, null]);
    }
    expect(remote.find((t) => t.trackingNumber === other.numbers[0])?.customerName).toBe("Customer 0");
  });
});
