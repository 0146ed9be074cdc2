import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import type { EmulatorHandle } from "../../devkit/emulator";
import {
  installShop,
  seedLocalTracking,
  seedSyncedTracking,
  startAdminEmulator,
} from "../support/admin-fixtures";
import {
  embeddedContext,
  openAdminPage,
  screenshotWidths,
  startAppAndBrowser,
  type RunningApp,
  stopBrowserTest,
} from "./support";

// What a merchant acts on: filters arriving from dashboard links, an exception's detail page,
// stalled parcels, and the states that stop TrackBridge (no key, TrackingMore down), in English
// and Simplified Chinese, at desktop and phone widths.

const shop = "e2e-merchant.myshopify.com";
const newShop = "e2e-newcomer.myshopify.com";
const apiKey = "tm-e2e-merchant-01";
const DAY = 86_400_000;
let emulator: EmulatorHandle;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let customsId: string;
const POLL = { timeout: 8_000, interval: 100 };
// Console errors of every page these tests open (a hydration mismatch shows only there).
const problems: string[] = [];
const watch = (tab: Page) => {
  tab.on("console", (message) => {
    if (message.type() === "error") problems.push(`${new URL(tab.url()).pathname}: ${message.text()}`);
  });
  tab.on("pageerror", (error) => problems.push(`${new URL(tab.url()).pathname}: ${error.message}`));
};

beforeAll(async () => {
  emulator = await startAdminEmulator([{ apiKey, email: "merchant@example.com", quota: 5000 }]);
  await installShop(shop, apiKey);
  await installShop(newShop);
  await seedSyncedTracking(shop, apiKey, { customerName: "Ada Lovelace", status: "transit" });
  await seedSyncedTracking(shop, apiKey, { customerName: "Grace Hopper", status: "exception" });
  // Rows TrackingMore refused, so the status poller leaves what we set here alone.
  const customs = await seedLocalTracking(shop, {
    status: "exception",
    syncState: "pending",
    createdAt: new Date(Date.now() - 6 * DAY),
  });
  customsId = customs.id;
  await prisma.tracking.update({
    where: { id: customsId },
    data: {
      // Dead-lettered: dispatch gave up on it (app/pipeline/queue), so it needs attention.
      deadAt: new Date(Date.now() - DAY),
      customerName: "Alan Turing",
      substatus: "exception006",
      lastEvent: "Held by customs,Frankfurt,2026-11-29 08:00:00",
      lastEventAt: new Date(Date.now() - 2 * DAY),
      checkpoints: JSON.stringify([
        {
          time: new Date(Date.now() - 5 * DAY).toISOString(),
          description: "Accepted",
          location: "Lyon",
          status: "transit",
        },
        {
          time: new Date(Date.now() - 2 * DAY).toISOString(),
          description: "Held by customs",
          location: "Frankfurt",
          status: "exception",
          substatus: "exception006",
        },
      ]),
    },
  });
  const stalled = await seedLocalTracking(shop, {
    status: "transit",
    syncState: "needs_attention",
    createdAt: new Date(Date.now() - 20 * DAY),
  });
  await prisma.tracking.update({
    where: { id: stalled.id },
    data: { customerName: "Edsger Dijkstra", lastEventAt: new Date(Date.now() - 12 * DAY) },
  });
  await seedLocalTracking(shop, { status: "undelivered", syncState: "needs_attention" });
  await seedLocalTracking(shop, { syncState: "waiting_api_key" });
  ({ app, browser } = await startAppAndBrowser(emulator.baseUrl));
  context = await embeddedContext(browser, app, shop);
  page = await context.newPage();
  page.setDefaultTimeout(8_000);
  watch(page);
}, 60_000);

afterAll(() => stopBrowserTest({ context, browser, app, emulator }));

const rows = () => page.locator(".Polaris-IndexTable__TableRow");
/** The number next to a link of the dashboard's "Needs attention" card. */
const attentionCount = async (name: string) => {
  const row = page
    .locator(".Polaris-InlineStack", { has: page.getByRole("link", { name, exact: true }) })
    .last();
  return Number(/(\d+)\s*$/.exec(await row.innerText())?.[1]);
};

describe("what a merchant acts on", { timeout: 45_000 }, () => {
  it("lands from a dashboard link on the same rows, with the filter visible", async () => {
    await openAdminPage(page, app, shop, "/app");
    const exceptions = await attentionCount("Exceptions");
    expect(exceptions).toBe(3);
    await page.getByRole("link", { name: "Exceptions", exact: true }).click();
    await page.waitForURL(/view=exceptions/);
    await expect.poll(() => rows().count(), POLL).toBe(exceptions);
    expect(await page.getByRole("tab", { name: "Exceptions" }).getAttribute("aria-selected")).toBe("true");

    await openAdminPage(page, app, shop, "/app");
    await page.getByRole("link", { name: "Waiting for API key", exact: true }).click();
    await page.waitForURL(/sync=waiting_api_key/);
    await expect.poll(() => rows().count(), POLL).toBe(1);
    // The filter shows as a chip without opening "Search and filter".
    const chip = page.getByRole("button", { name: /TrackingMore: Waiting for API key/ });
    await chip.first().waitFor();
    await screenshotWidths(page, "trackings-filter-from-link-en");

    // An older link's `state=` is the same filter, and "Clear all" clears it.
    await openAdminPage(page, app, shop, "/app/trackings?state=waiting_api_key");
    await expect.poll(() => rows().count(), POLL).toBe(1);
    await page
      .getByRole("button", { name: /TrackingMore: Waiting for API key/ })
      .first()
      .waitFor();
    await page.getByRole("button", { name: "Clear all" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.has("state"), POLL).toBe(false);
    await expect.poll(() => rows().count(), POLL).toBe(6);
  });

  it("shows stalled parcels, last update and days in transit in the list", async () => {
    await openAdminPage(page, app, shop, "/app/trackings");
    for (const heading of ["Last update", "Days in transit"])
      await page.getByRole("columnheader", { name: heading }).waitFor();
    await page.getByRole("tab", { name: "Stalled" }).click();
    await page.waitForURL(/view=stalled/);
    await expect.poll(() => rows().count(), POLL).toBe(1);
    expect(await rows().first().innerText()).toContain("20");
    await screenshotWidths(page, "trackings-stalled-en");
  });

  it("puts an exception's status, last event and timeline first, the fields behind Edit", async () => {
    await openAdminPage(page, app, shop, `/app/trackings/${customsId}`);
    const summary = page.getByRole("region", { name: "Where the parcel is" });
    await summary.getByText("Held by customs", { exact: true }).first().waitFor();
    // The substatus in words, the days in transit from the first carrier event.
    await summary.getByText("Held by customs", { exact: true }).nth(1).waitFor();
    await summary.getByText("5 days", { exact: true }).waitFor();
    // Events the push and the poller stored carry their status label.
    const timeline = page.getByRole("list", { name: "Shipment progress" });
    expect(await timeline.getByText("In transit").count()).toBe(1);
    expect(await timeline.getByText("Exception").count()).toBe(1);
    // The Order card reads the last event, not TrackingMore's "description,location,time".
    expect(await page.getByText("Held by customs,Frankfurt").count()).toBe(0);
    expect(await page.getByLabel("Title", { exact: true }).count()).toBe(0);
    await screenshotWidths(page, "tracking-detail-exception-en");
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    await page.getByLabel("Title", { exact: true }).waitFor();
  });

  it("renders the dashboard at once when TrackingMore does not answer, then says so", async () => {
    emulator.setFaults({ timeout: 1, endpoints: ["GET /trackings/getuserinfo"] });
    try {
      await openAdminPage(page, app, shop, "/app", undefined, "domcontentloaded");
      await page.getByRole("heading", { name: "Trackings by status" }).waitFor();
      // The page did not wait for TrackingMore (which never answers here): the quota waits
      // behind a skeleton while the rest of the page is usable, and the verdict is still to come.
      await page.locator(".Polaris-SkeletonDisplayText__DisplayText").first().waitFor({ state: "attached" });
      const banner = page.getByText("TrackingMore is not reachable");
      expect(await banner.count()).toBe(0);
      await banner.waitFor({ timeout: 10_000 });
      // The digest's days are dates in words ("Nov 26, 2026: 1"), not database keys.
      const text = await page.locator("body").innerText();
      expect(text).toMatch(/Daily digest[\s\S]*[A-Z][a-z]{2} \d{1,2}, \d{4}: 1/);
      expect(text).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
      await screenshotWidths(page, "dashboard-trackingmore-down-en");
      await openAdminPage(page, app, shop, "/app/trackings", undefined, "domcontentloaded");
      await page.getByText("TrackingMore is not reachable").waitFor({ timeout: 10_000 });
      await screenshotWidths(page, "trackings-trackingmore-down-en");
    } finally {
      emulator.setFaults({});
    }
  });

  it("guides a new shop through set-up, with the webhook URL to copy", async () => {
    const newcomer = await embeddedContext(browser, app, newShop);
    const tab = await newcomer.newPage();
    watch(tab);
    try {
      for (const locale of ["en", "zh-CN"] as const) {
        await openAdminPage(tab, app, newShop, "/app", locale);
        const [title, banner] =
          locale === "en"
            ? ["Set up TrackBridge", "Connect your TrackingMore account"]
            : ["设置 TrackBridge", "请连接您的 TrackingMore 账户"];
        await tab.getByRole("heading", { name: title }).waitFor();
        await tab.getByText(banner).waitFor();
        const url = await tab.locator("input[readonly]").first().inputValue();
        expect(url).toMatch(/\/webhooks\/trackingmore$/);
        await screenshotWidths(tab, `dashboard-setup-${locale}`);
        await openAdminPage(tab, app, newShop, "/app/trackings", locale);
        await tab.getByText(banner).waitFor();
        await screenshotWidths(tab, `trackings-no-key-${locale}`);
      }
    } finally {
      await newcomer.close();
    }
  });

  it("shows the changed screens in Simplified Chinese", async () => {
    const zh = await embeddedContext(browser, app, shop);
    const tab = await zh.newPage();
    watch(tab);
    try {
      await openAdminPage(tab, app, shop, "/app", "zh-CN");
      await tab.getByRole("heading", { name: "仪表板" }).waitFor();
      await screenshotWidths(tab, "dashboard-zh-CN");
      await openAdminPage(tab, app, shop, "/app/trackings?sync=waiting_api_key", "zh-CN");
      await tab
        .getByRole("button", { name: /TrackingMore：等待 API 密钥/ })
        .first()
        .waitFor();
      await screenshotWidths(tab, "trackings-filter-from-link-zh-CN");
      await openAdminPage(tab, app, shop, "/app/trackings?view=stalled", "zh-CN");
      await tab.getByRole("columnheader", { name: "运输天数" }).waitFor();
      await screenshotWidths(tab, "trackings-stalled-zh-CN");
      await openAdminPage(tab, app, shop, `/app/trackings/${customsId}`, "zh-CN");
      await tab.getByText("被海关扣留").first().waitFor();
      await screenshotWidths(tab, "tracking-detail-exception-zh-CN");
      await openAdminPage(tab, app, shop, "/app/settings", "zh-CN");
      await screenshotWidths(tab, "settings-zh-CN");
    } finally {
      await zh.close();
    }
  });

  it("logged no console error on any of these pages", () => {
    expect(problems).toEqual([]);
  });
});
