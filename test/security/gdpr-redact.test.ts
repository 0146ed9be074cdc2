import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { callRoute } from "../support/routes";
import { webhookRequest } from "../support/shopify";
import { deliver, drainPipeline, trackingsAtTrackingMore, withPipelineEmulator } from "../support/pipeline";
import { ADA, fulfillmentPayload } from "../../devkit/shopify";

// customers/redact reaches every copy of the customer's data: tracking rows whatever the case
// of the email, TrackingMore's copies, and the bodies still waiting to be worked off.
const pipeline = withPipelineEmulator("gdpr");

const alice = (numbers: string[]) =>
  fulfillmentPayload({
    trackingNumbers: numbers,
    customer: {
      ...ADA,
      firstName: "Alice",
      lastName: "Liddell",
      email: "Alice@Example.com",
      phone: "+44 1865 000111",
    },
  });
const bob = (numbers: string[]) =>
  fulfillmentPayload({
    trackingNumbers: numbers,
    customer: {
      ...ADA,
      firstName: "Bob",
      lastName: "Builder",
      email: "bob@example.com",
      phone: "+44 1865 000222",
    },
  });

async function redact(shop: string, email: string, orders: number[] = []) {
  const response = await callRoute(
    customersRedact,
    webhookRequest({
      topic: "customers/redact",
      shop,
      body: { shop_domain: shop, customer: { id: 7, email, phone: null }, orders_to_redact: orders },
    }),
  );
  expect(response.status).toBe(200);
}

describe("customers/redact, hardened", () => {
  it("matches the email in any case, here and at TrackingMore", async () => {
    const shop = await pipeline.newShop();
    const [a, b] = [`1ZCUST1A${Date.now() % 1e9}`, `1ZCUST1B${Date.now() % 1e9}`];
    await deliver("fulfillments/create", shop, alice([a]));
    await deliver("fulfillments/create", shop, bob([b]));
    await drainPipeline();

    await redact(shop, "alice@example.com");
    await drainPipeline();

    const local = await prisma.tracking.findMany({ where: { shop }, orderBy: { trackingNumber: "asc" } });
    expect(local.map((t) => [t.trackingNumber, t.customerName, t.customerEmail, t.customerPhone])).toEqual(
      [
        [a, null, null, null],
        [b, "Bob Builder", "bob@example.com", "+44 1865 000222"],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    const remote = await trackingsAtTrackingMore(pipeline.current().client);
    const aliceRemote = remote.find((t) => t.trackingNumber === a);
    expect([
      aliceRemote?.customerName ?? null,
      aliceRemote?.customerEmail ?? null,
      aliceRemote?.customerPhone ?? null,
    ]).toEqual([null, null, null]);
    expect(remote.find((t) => t.trackingNumber === b)?.customerEmail).toBe("bob@example.com");
  });

  it("removes the customer from deliveries waiting in the inbox and pushes waiting to be applied", async () => {
    const shop = await pipeline.newShop();
    const [a, b] = [`1ZCUST2A${Date.now() % 1e9}`, `1ZCUST2B${Date.now() % 1e9}`];
    await deliver("fulfillments/create", shop, alice([a]), "gdpr-alice");
    await deliver("fulfillments/create", shop, bob([b]), "gdpr-bob");
    const pushOf = (number: string, email: string, name: string) => ({
      carrierCode: "ups",
      trackingNumber: number,
      shops: JSON.stringify([shop]),
      data: JSON.stringify({
        tracking_number: number,
        carrier_code: "ups",
        status: "transit",
        customer_email: email,
        customer_name: name,
        customer_phone: null,
      }),
    });
    await prisma.trackingMorePush.createMany({
      data: [pushOf(a, "ALICE@example.com", "Alice Liddell"), pushOf(b, "bob@example.com", "Bob Builder")],
    });

    await redact(shop, "alice@EXAMPLE.com");

    const waiting = await prisma.webhookDelivery.findMany({ where: { shop } });
    const alicePayload = waiting.find((d) => d.webhookId === "gdpr-alice")!.payload!;
    expect(alicePayload).not.toMatch(/alice|liddell|000111/i);
    expect(JSON.parse(alicePayload).tracking_numbers).toEqual([a]);
    expect(waiting.find((d) => d.webhookId === "gdpr-bob")!.payload).toContain("Bob Builder");
    const pushes = await prisma.trackingMorePush.findMany({ where: { shops: { contains: shop } } });
    expect(pushes.find((p) => p.trackingNumber === a)!.data).not.toMatch(/alice|liddell/i);
    expect(pushes.find((p) => p.trackingNumber === b)!.data).toContain("bob@example.com");

    // The work still gets done, without the customer.
    await prisma.trackingMorePush.deleteMany({ where: { shops: { contains: shop } } });
    await drainPipeline();
    const row = await prisma.tracking.findFirstOrThrow({ where: { shop, trackingNumber: a } });
    expect([row.customerName, row.customerEmail, row.customerPhone]).toEqual([null, null, null]);
  });
});
