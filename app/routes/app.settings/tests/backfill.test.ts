import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { cancelBackfill, runBackfillStep, type AdminForShop } from "~/pipeline/backfill/backfill.server";
import { unauthenticated } from "~/shopify.server";
import { formBody, installShop, withAdminEmulator } from "../../../../test/support/admin-fixtures";
import { callRoute } from "../../../../test/support/routes";
import { interceptAdminGraphql, type GraphqlCall } from "../../../../test/support/shopify-api-mock";
import { embeddedFetchRequest } from "../../../../test/support/shopify";
import { action, loader } from "../route";

const shop = "backfill-shop.myshopify.com";
const apiKey = "tm-backfill-key-0001";

function order(n: number, fulfillments: { number?: string; company?: string; status?: string }[]) {
  return {
    id: `gid://shopify/Order/${n}`,
    legacyResourceId: String(n),
    name: `#${n}`,
    email: `buyer${n}@example.com`,
    phone: null,
    createdAt: "2026-10-01T10:00:00Z",
    customer: { firstName: "Buyer", lastName: String(n), email: `buyer${n}@example.com`, phone: null },
    shippingAddress: {
      name: `Buyer ${n}`,
      firstName: "Buyer",
      lastName: String(n),
      phone: null,
      countryCodeV2: "DE",
    },
    lineItems: { nodes: [{ title: "Teapot", name: "Teapot", quantity: 1 }] },
    fulfillments: fulfillments.map((f, i) => ({
      id: `gid://shopify/Fulfillment/${n}${i}`,
      legacyResourceId: `${n}${i}`,
      name: `#${n}.${i + 1}`,
      status: f.status ?? "SUCCESS",
      createdAt: "2026-10-02T10:00:00Z",
      updatedAt: "2026-10-02T10:00:00Z",
      service: { handle: "manual" },
      trackingInfo: f.number ? [{ number: f.number, company: f.company ?? "USPS", url: null }] : [],
      fulfillmentLineItems: { nodes: [{ quantity: 1, lineItem: { title: "Teapot", name: "Teapot" } }] },
    })),
  };
}

const ORDERS = [
  order(2001, [{ number: "9400111111111111111111" }]),
  order(2002, [{ number: "9400222222222222222222" }, { number: "9400333333333333333333", company: "DHL" }]),
  order(2003, [{}]), // fulfilled without a number: nothing to track
  order(2004, [{ number: "9400444444444444444444", status: "CANCELLED" }]),
  order(2005, [{ number: "ALREADY-TRACKED-1" }]),
];

/** Shopify's orders connection, two orders a page. */
function answerOrders(call: GraphqlCall) {
  const start = call.variables.after ? Number(call.variables.after) : 0;
  const nodes = ORDERS.slice(start, start + 2);
  const end = start + nodes.length;
  return {
    data: { orders: { nodes, pageInfo: { hasNextPage: end < ORDERS.length, endCursor: String(end) } } },
  };
}

const adminForShop: AdminForShop = async (s) => (await unauthenticated.admin(s)).admin;
const post = (values: Record<string, string>) =>
  callRoute(action, embeddedFetchRequest("/app/settings", shop, formBody(values)));

beforeAll(async () => {
  // The Shopify library keeps the fetch it found at import, before msw wrapped the global one.
  setAbstractFetchFunc((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
});
withAdminEmulator([{ apiKey, email: "backfill@example.com", quota: 900 }]);
beforeEach(async () => {
  await prisma.tracking.deleteMany();
  await prisma.fulfillment.deleteMany();
  await prisma.backfillJob.deleteMany();
  await installShop(shop, apiKey);
  await prisma.tracking.create({
    data: {
      shop,
      orderId: "2005",
      trackingNumber: "ALREADY-TRACKED-1",
      carrierCode: "usps",
      syncState: "synced",
    },
  });
});

describe("backfill from /app/settings", () => {
  it("estimates what it would create and the quota it needs, writing nothing", async () => {
    const calls = interceptAdminGraphql(answerOrders);
    const response = await post({ intent: "estimateBackfill", from: "2026-10-01", to: "2026-10-31" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { estimate: Record<string, unknown> };
    expect(body.estimate).toMatchObject({
      orders: 5,
      trackings: 4,
      newTrackings: 3,
      truncated: false,
      remainingQuota: 900,
    });
    expect(calls).toHaveLength(3);
    expect(calls[0].variables.query).toBe(
      "fulfillment_status:shipped updated_at:>='2026-10-01T00:00:00.000Z' updated_at:<='2026-10-31T23:59:59.999Z'",
    );
    expect(await prisma.tracking.count({ where: { shop } })).toBe(1);
  });

  it("refuses a range that ends before it starts", async () => {
    const response = await post({ intent: "estimateBackfill", from: "2026-10-31", to: "2026-10-01" });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ ok: false, fieldErrors: { to: "date_before_start" } });
  });

  it("runs page by page in the background, resumes from its cursor, and never duplicates", async () => {
    interceptAdminGraphql(answerOrders);
    expect(
      (await post({ intent: "startBackfill", from: "2026-10-01", to: "2026-10-31", ordersEstimated: "5" }))
        .status,
    ).toBe(200);
    // A second start while one runs is refused.
    expect((await post({ intent: "startBackfill", from: "2026-10-01", to: "2026-10-31" })).status).toBe(422);

    expect(await runBackfillStep(adminForShop)).toBe(2);
    const afterFirst = await prisma.backfillJob.findFirstOrThrow({ where: { shop } });
    expect(afterFirst).toMatchObject({ state: "running", cursor: "2", ordersSeen: 2, trackingsAdded: 3 });

    // A restart mid-page: the lease runs out, the next worker picks the job up where it was.
    await prisma.backfillJob.update({
      where: { id: afterFirst.id },
      data: { leaseOwner: "crashed-worker", leaseUntil: new Date(Date.now() - 1) },
    });
    while ((await runBackfillStep(adminForShop)) > 0) {
      /* one page per round */
    }
    const job = await prisma.backfillJob.findFirstOrThrow({ where: { shop } });
    expect(job).toMatchObject({ state: "done", ordersSeen: 5, trackingsAdded: 3 });

    const trackings = await prisma.tracking.findMany({ where: { shop }, orderBy: { trackingNumber: "asc" } });
    expect(trackings.map((t) => t.trackingNumber)).toEqual([
      "9400111111111111111111",
      "9400222222222222222222",
      "9400333333333333333333",
      "ALREADY-TRACKED-1",
    ]);
    const created = trackings.find((t) => t.trackingNumber === "9400111111111111111111")!;
    expect(created).toMatchObject({
      syncState: "pending",
      carrierCode: "usps",
      orderName: "#2001",
      customerEmail: "buyer2001@example.com",
      destinationCode: "DE",
    });

    // Running the same range again creates nothing new.
    await post({ intent: "startBackfill", from: "2026-10-01", to: "2026-10-31", ordersEstimated: "5" });
    while ((await runBackfillStep(adminForShop)) > 0) {
      /* drain */
    }
    expect(await prisma.tracking.count({ where: { shop } })).toBe(4);

    const page = (await (await callRoute(loader, embeddedFetchRequest("/app/settings", shop))).json()) as {
      backfill: { state: string; trackingsAdded: number };
    };
    expect(page.backfill).toMatchObject({ state: "done", trackingsAdded: 0 });
  });

  it("stops a cancelled import at its next page, keeping what it imported", async () => {
    interceptAdminGraphql(answerOrders);
    await post({ intent: "startBackfill", from: "2026-10-01", to: "2026-10-31", ordersEstimated: "5" });
    expect(await runBackfillStep(adminForShop)).toBe(2);

    expect((await post({ intent: "cancelBackfill" })).status).toBe(200);
    // Nothing claims it again: the next rounds find no work and read no orders.
    expect(await runBackfillStep(adminForShop)).toBe(0);
    const job = await prisma.backfillJob.findFirstOrThrow({ where: { shop } });
    expect(job).toMatchObject({ state: "cancelled", ordersSeen: 2, trackingsAdded: 3 });
    expect(job.finishedAt).toBeInstanceOf(Date);
    expect(await prisma.tracking.count({ where: { shop } })).toBe(4);

    const page = (await (await callRoute(loader, embeddedFetchRequest("/app/settings", shop))).json()) as {
      backfill: { state: string; ordersSeen: number };
    };
    expect(page.backfill).toMatchObject({ state: "cancelled", ordersSeen: 2 });
    // A new import can start once the old one is cancelled.
    expect(
      (await post({ intent: "startBackfill", from: "2026-10-01", to: "2026-10-31", ordersEstimated: "5" }))
        .status,
    ).toBe(200);
  });

  it("keeps a cancel that lands while a page is being imported", async () => {
    await post({ intent: "startBackfill", from: "2026-10-01", to: "2026-10-31", ordersEstimated: "5" });
    // The merchant cancels while this worker reads its page from Shopify.
    interceptAdminGraphql(async (call) => {
      await cancelBackfill(shop);
      return answerOrders(call);
    });
    expect(await runBackfillStep(adminForShop)).toBe(2);
    const job = await prisma.backfillJob.findFirstOrThrow({ where: { shop } });
    // The page it was on is applied and counted; the job does not go on.
    expect(job).toMatchObject({ state: "cancelled", ordersSeen: 2, trackingsAdded: 3, leaseOwner: null });
    expect(await runBackfillStep(adminForShop)).toBe(0);
  });

  it("keeps the job and retries later when Shopify fails", async () => {
    interceptAdminGraphql(() => new Response("upstream down", { status: 503 }));
    await post({ intent: "startBackfill", from: "2026-10-01", to: "2026-10-31", ordersEstimated: "5" });
    expect(await runBackfillStep(adminForShop)).toBe(0);
    const job = await prisma.backfillJob.findFirstOrThrow({ where: { shop } });
    expect(job).toMatchObject({ state: "running", attempts: 1, cursor: null });
    expect(job.lastError).toBeTruthy();
    expect(job.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // The page says a retry is coming, in words; Shopify's answer stays in the database.
    const page = await (await callRoute(loader, embeddedFetchRequest("/app/settings", shop))).text();
    expect(JSON.parse(page).backfill).toMatchObject({ state: "running", retrying: true });
    expect(page).not.toContain(job.lastError);
  });
});
