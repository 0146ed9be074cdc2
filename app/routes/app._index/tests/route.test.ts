import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { installShop, seedLocalTracking, withAdminEmulator } from "../../../../test/support/admin-fixtures";
import { callRoute } from "../../../../test/support/routes";
import { embeddedFetchRequest } from "../../../../test/support/shopify";
import { ATTENTION_LINKS } from "~/models/admin/list-filters";
import { loader } from "../route";
import { loader as listLoader } from "../../app.trackings._index/route";

const DAY = 86_400_000;
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
      // The list's "Exceptions" view: exceptions and failed delivery attempts.
      exceptions: 2,
      failedAttempts: 1,
      needsCarrier: 1,
      quotaPaused: 1,
    });
    expect(data.createdPerDay).toHaveLength(30);
    expect(data.createdPerDay[29].count).toBe(4);
    expect(data.quotaRemaining).toBe(777);
  });

  it("counts each attention item as the list counts the rows its link shows", async () => {
    await installShop(shop, apiKey);
    const now = Date.now();
    await seedLocalTracking(shop, { status: "exception", syncState: "synced" });
    await seedLocalTracking(shop, { status: "exception", syncState: "synced", archived: true });
    await seedLocalTracking(shop, { status: "undelivered", syncState: "synced" });
    await seedLocalTracking(shop, { status: "undelivered", syncState: "deleted" });
    await seedLocalTracking(shop, { syncState: "waiting_api_key" });
    await seedLocalTracking(shop, { syncState: "pending_update" });
    // No carrier event for ten days (the default is seven): stalled.
    await seedLocalTracking(shop, {
      status: "transit",
      syncState: "synced",
      createdAt: new Date(now - 10 * DAY),
    });
    await seedLocalTracking(shop, {
      status: "transit",
      syncState: "synced",
      createdAt: new Date(now - 2 * DAY),
    });
    const data = await load();
    for (const { key, search } of ATTENTION_LINKS) {
      const response = await callRoute(listLoader, embeddedFetchRequest(`/app/trackings?${search}`, shop));
      const { rows } = (await response.json()) as { rows: unknown[] };
      expect(data.attention[key], key).toBe(rows.length);
    }
    expect(data.attention).toMatchObject({ exceptions: 2, stalled: 1, waitingApiKey: 1, pendingSync: 1 });
  });

  it("tells a shop without a key to go to Settings", async () => {
    await installShop(otherShop);
    await seedLocalTracking(otherShop, { syncState: "waiting_api_key" });
    const data = await load(otherShop);
    expect(data).toMatchObject({ hasApiKey: false, quotaRemaining: null });
    expect(data.attention.waitingApiKey).toBe(1);
  });
});
