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
import { ATTENTION_LINKS } from "~/models/admin/list-filters";
import { action, loader } from "../route";
import { loader as accountLoader } from "../../app.account-status";
import { loader as listLoader } from "../../app.trackings._index/route";
import type { DashboardData } from "~/models/admin/dashboard.server";

const DAY = 86_400_000;

const shop = "dash-shop.myshopify.com";
const otherShop = "dash-other.myshopify.com";
const apiKey = "tm-dash-key-000001";

const load = async (asShop = shop) =>
  (
    (await (await callRoute(loader, embeddedFetchRequest("/app", asShop))).json()) as {
      dashboard: DashboardData;
    }
  ).dashboard;

const tm = withAdminEmulator([{ apiKey, email: "dash@example.com", quota: 7777 }]);
const account = async (asShop = shop) =>
  (await (await callRoute(accountLoader, embeddedFetchRequest("/app/account-status", asShop))).json()) as {
    quotaRemaining: number | null;
    quotaLabel: string | null;
    blocking: { kind: string }[];
  };
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
    const expectListCounts = async () => {
      const data = await load();
      for (const { key, search } of ATTENTION_LINKS) {
        const response = await callRoute(listLoader, embeddedFetchRequest(`/app/trackings?${search}`, shop));
        const { rows } = (await response.json()) as { rows: unknown[] };
        expect(data.attention[key], key).toBe(rows.length);
      }
      return data.attention;
    };
    expect(await expectListCounts()).toMatchObject({
      exceptions: 2,
      stalled: 1,
      waitingApiKey: 1,
      pendingSync: 1,
      needsAttention: 0,
      quotaPaused: 0,
    });
    // A tracking the dispatch gave up on needs attention, whatever state it kept.
    const given = await seedLocalTracking(shop, { syncState: "quota_paused" });
    await prisma.tracking.update({ where: { id: given.id }, data: { deadAt: new Date() } });
    expect(await expectListCounts()).toMatchObject({ needsAttention: 1, quotaPaused: 0 });
  });

  it("counts statuses over the chart's 30 days, as the list counts each bar's link", async () => {
    await installShop(shop, apiKey);
    const now = Date.now();
    // Delivered parcels: one before the 30 days, one deleted, one archived (still counted).
    for (const [daysAgo, syncState, archived] of [
      [40, "synced", false],
      [3, "synced", false],
      [3, "deleted", false],
      [5, "synced", true],
    ] as const)
      await seedLocalTracking(shop, {
        status: "delivered",
        syncState,
        archived,
        createdAt: new Date(now - daysAgo * DAY),
      });
    const data = await load();
    expect(data.periodStart).toBe(data.createdPerDay[0].day);
    const delivered = data.byStatus.find((s) => s.status === "delivered")!.count;
    expect(delivered).toBe(2);
    expect(data.total).toBe(2);
    // The bar's link (as the page writes it, see the browser test) lists the rows it counts.
    const link = `/app/trackings?status=delivered&archived=any&from=${data.periodStart}`;
    const { rows } = (await (await callRoute(listLoader, embeddedFetchRequest(link, shop))).json()) as {
      rows: unknown[];
    };
    expect(rows).toHaveLength(delivered);
  });

  it("counts the period the merchant chose: the last 7, 30 or 90 days", async () => {
    await installShop(shop, apiKey);
    const now = Date.now();
    for (const daysAgo of [2, 10, 60])
      await seedLocalTracking(shop, { syncState: "synced", createdAt: new Date(now - daysAgo * DAY) });
    const loadPeriod = async (period: string) =>
      (
        (await (await callRoute(loader, embeddedFetchRequest(`/app?period=${period}`, shop))).json()) as {
          dashboard: DashboardData;
        }
      ).dashboard;
    const week = await loadPeriod("7");
    expect(week).toMatchObject({ period: 7, total: 1 });
    expect(week.createdPerDay).toHaveLength(7);
    expect(week.periodStart).toBe(week.createdPerDay[0].day);
    expect(await loadPeriod("90")).toMatchObject({ period: 90, total: 3 });
    // Anything else is the default month.
    expect(await loadPeriod("365")).toMatchObject({ period: 30, total: 2 });
  });

  it("knows a shop with only older trackings is past its first run", async () => {
    await installShop(shop, apiKey);
    await seedLocalTracking(shop, { syncState: "synced", createdAt: new Date(Date.now() - 90 * DAY) });
    expect(await load()).toMatchObject({ total: 0, hasTrackings: true });
    await prisma.tracking.updateMany({ where: { shop }, data: { syncState: "deleted" } });
    expect(await load()).toMatchObject({ hasTrackings: false });
  });

  it("tells a shop without a key to go to Settings", async () => {
    await installShop(otherShop);
    await seedLocalTracking(otherShop, { syncState: "waiting_api_key" });
    const data = await load(otherShop);
    expect(data).toMatchObject({ hasApiKey: false });
    expect(data.attention.waitingApiKey).toBe(1);
  });

  it("says at once, from our database, that a shop has no key or no quota", async () => {
    await installShop(otherShop);
    const response = await callRoute(loader, embeddedFetchRequest("/app", otherShop));
    expect(((await response.json()) as { blocking: unknown }).blocking).toEqual([{ kind: "no_api_key" }]);
    await installShop(shop, apiKey);
    await prisma.shop.update({ where: { domain: shop }, data: { dispatchPausedReason: "quota_exhausted" } });
    const paused = await callRoute(loader, embeddedFetchRequest("/app", shop));
    expect(((await paused.json()) as { blocking: unknown }).blocking).toEqual([{ kind: "quota_exhausted" }]);
  });
});

describe("/app/account-status (TrackingMore's view, fetched after the page rendered)", () => {
  it("gives the quota, formatted, when TrackingMore answers", async () => {
    await installShop(shop, apiKey);
    expect(await account()).toEqual({ quotaRemaining: 7777, quotaLabel: "7,777", blocking: [] });
  });

  it("reports TrackingMore unreachable, and a shop without a key", async () => {
    await installShop(shop, apiKey);
    tm.current().setFaults({ error503: 1 });
    expect(await account()).toMatchObject({
      quotaRemaining: null,
      blocking: [{ kind: "trackingmore_unreachable" }],
    });
    await installShop(otherShop);
    expect((await account(otherShop)).blocking).toEqual([{ kind: "no_api_key" }]);
  });

  it("reports a used-up quota", async () => {
    await installShop(shop, apiKey);
    tm.current().setQuota(apiKey, 0);
    expect(await account()).toMatchObject({ quotaRemaining: 0, blocking: [{ kind: "quota_exhausted" }] });
    tm.current().setQuota(apiKey, 7777);
  });

  it("lists what the pipeline gave up on, with the reason in words, and retries it from the dashboard", async () => {
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
    // Kinds the page words; the stored text (codes, API paths) never reaches the browser.
    expect(data.deadLetters.recent.map((l) => [l.stage, l.problem])).toEqual(
      expect.arrayContaining([
        ["dispatch", "not_found"],
        ["ingest", "unknown"],
      ]),
    );
    expect(JSON.stringify(data)).not.toContain("no such number");

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
