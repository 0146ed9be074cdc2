import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import {
  formBody,
  installShop,
  seedLocalTracking,
  withAdminEmulator,
} from "../../../../test/support/admin-fixtures";
import { callRoute } from "../../../../test/support/routes";
import { embeddedFetchRequest } from "../../../../test/support/shopify";
import { action, loader } from "../route";
import type { DashboardData } from "~/models/admin/dashboard.server";

const shop = "dash-shop.myshopify.com";
const otherShop = "dash-other.myshopify.com";
const apiKey = "tm-dash-key-000001";

const load = async (asShop = shop) =>
  (
    (await (await callRoute(loader, embeddedFetchRequest("/app", asShop))).json()) as {
      dashboard: DashboardData;
    }
  ).dashboard;

withAdminEmulator([{ apiKey, email: "dash@example.com", quota: 777 }]);
beforeEach(async () => {
  await prisma.tracking.deleteMany();
  await prisma.shopSettings.deleteMany();
});

describe("/app (dashboard)", () => {
  it("counts the shop's trackings by status, per day and needing attention, with the quota", async () => {
    await installShop(shop, apiKey);
    await installShop(otherShop);
    await seedLocalTracking(shop, { status: "exception", syncState: "synced" });
    await seedLocalTracking(shop, { status: "undelivered", syncState: "synced" });
    await seedLocalTracking(shop, { syncState: "needs_carrier" });
    await seedLocalTracking(shop, { syncState: "quota_paused" });
    await seedLocalTracking(otherShop, { status: "exception" });
    const data = await load();
    expect(data.total).toBe(4);
    expect(data.byStatus.find((s) => s.status === "exception")!.count).toBe(1);
    expect(data.attention).toMatchObject({
      exceptions: 1,
      failedAttempts: 1,
      needsCarrier: 1,
      quotaPaused: 1,
    });
    expect(data.createdPerDay).toHaveLength(30);
    expect(data.createdPerDay[29].count).toBe(4);
    expect(data.quotaRemaining).toBe(777);
  });

  it("tells a shop without a key to go to Settings", async () => {
    await installShop(otherShop);
    await seedLocalTracking(otherShop, { syncState: "waiting_api_key" });
    const data = await load(otherShop);
    expect(data).toMatchObject({ hasApiKey: false, quotaRemaining: null });
    expect(data.attention.waitingApiKey).toBe(1);
  });

  it("lists what the pipeline gave up on, with the reason, and retries it from the dashboard", async () => {
    await installShop(shop, apiKey);
    const dead = await seedLocalTracking(shop, { syncState: "pending" });
    await prisma.tracking.update({
      where: { id: dead.id },
      data: { deadAt: new Date(), lastError: "TrackingMore refused this tracking (4017): no such number" },
    });
    await prisma.webhookDelivery.create({
      data: {
        webhookId: "dash-dead-delivery",
        shop,
        topic: "fulfillments/create",
        deadAt: new Date(),
        lastError: "tracking_numbers: expected an array",
      },
    });
    const otherDead = await seedLocalTracking(otherShop, { syncState: "pending" });
    await prisma.tracking.update({ where: { id: otherDead.id }, data: { deadAt: new Date() } });

    const data = await load();
    expect(data.attention.needsAttention).toBe(1);
    expect(data.deadLetters.total).toBe(2);
    expect(data.deadLetters.recent.map((l) => [l.stage, l.reason])).toEqual(
      expect.arrayContaining([
        ["dispatch", "TrackingMore refused this tracking (4017): no such number"],
        ["ingest", "tracking_numbers: expected an array"],
      ]),
    );

    // One item, then the rest; the other shop's dead letter is untouched.
    const retry = (values: Record<string, string>) =>
      callRoute(
        action,
        embeddedFetchRequest("/app", shop, formBody({ intent: "retry-dead-letters", ...values })),
      );
    expect(await (await retry({ stage: "dispatch", id: dead.id })).json()).toEqual({ retried: 1 });
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: dead.id } })).toMatchObject({
      deadAt: null,
      attempts: 0,
    });
    expect(await (await retry({})).json()).toEqual({ retried: 1 });
    expect((await load()).deadLetters.total).toBe(0);
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: otherDead.id } })).deadAt).not.toBeNull();
  });
});
