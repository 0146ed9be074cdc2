import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { recordCustomerDataRequest } from "~/models/privacy.server";
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

// The admin for a merchant who is not in en-US/UTC: a German browser in Shanghai, a shop in
// Shanghai's time zone, and the admin language Shopify passes as `locale`.

const shop = "e2e-locale.myshopify.com";
const apiKey = "tm-e2e-locale-0001";
let emulator: EmulatorHandle;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let trackingId: string;
const problems: string[] = [];

beforeAll(async () => {
  emulator = await startAdminEmulator([{ apiKey, email: "locale@example.com", quota: 1234566 }]);
  await installShop(shop, apiKey);
  await prisma.shop.update({ where: { domain: shop }, data: { ianaTimezone: "Asia/Shanghai" } });
  await seedSyncedTracking(shop, apiKey, { customerName: "Grace Hopper", status: "exception" });
  // TrackingMore refused this one, so the status poller leaves its stored events alone.
  // 20:30 UTC on 30 November is 04:30 on 1 December in Shanghai.
  const local = await seedLocalTracking(shop, {
    syncState: "needs_attention",
    status: "transit",
    createdAt: new Date("2026-11-30T20:30:00Z"),
  });
  trackingId = local.id;
  await prisma.tracking.update({
    where: { id: trackingId },
    data: {
      customerName: "Ada Lovelace",
      checkpoints: JSON.stringify([
        {
          time: "2026-11-30T20:30:00.000Z",
          description: "Arrived at sort facility",
          location: "Shanghai",
          checkpointStatus: "transit",
        },
      ]),
    },
  });
  // A customer's data request, received at the same moment: its date is Shanghai's too.
  await recordCustomerDataRequest(shop, { customer: { id: 7, email: "ada@example.com" }, dataRequestId: 70 });
  await prisma.customerDataReport.updateMany({
    where: { shop },
    data: { createdAt: new Date("2026-11-30T20:30:00Z") },
  });
  ({ app, browser } = await startAppAndBrowser(emulator.baseUrl, {
    browser: { args: ["--lang=de-DE"], env: { TZ: "Asia/Shanghai" } },
  }));
  context = await embeddedContext(browser, app, shop, { locale: "de-DE", timezoneId: "Asia/Shanghai" });
  page = await context.newPage();
  page.setDefaultTimeout(8_000);
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
}, 60_000);

afterAll(() => stopBrowserTest({ context, browser, app, emulator }));

describe("the admin in the merchant's language and time zone", { timeout: 40_000 }, () => {
  it("shows every admin page in a German browser in Shanghai without a console error", async () => {
    for (const pathname of [
      "/app",
      "/app/trackings",
      "/app/trackings?view=exceptions",
      `/app/trackings/${trackingId}`,
      "/app/settings",
      "/app/analytics",
    ]) {
      problems.length = 0;
      await openAdminPage(page, app, shop, pathname);
      await page.waitForLoadState("networkidle");
      expect(problems, pathname).toEqual([]);
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
    }
  });

  it("formats dates on the server in the shop's time zone", async () => {
    await openAdminPage(page, app, shop, `/app/trackings/${trackingId}`);
    await page
      .getByText(/Dec 1, 2026, 4:30\sAM/)
      .first()
      .waitFor();
    await openAdminPage(page, app, shop, "/app/trackings?q=Lovelace");
    await page.getByText("Dec 1, 2026", { exact: true }).waitFor();
    await openAdminPage(page, app, shop, "/app/settings");
    await page.getByText(/^Requested Dec 1, 2026 · /).waitFor();
    await openAdminPage(page, app, shop, "/app");
    // Numbers are grouped the merchant's way.
    await page.getByText("1,234,565", { exact: true }).waitFor();
  });

  it("keeps Simplified Chinese across navigation, in <html lang> and in Polaris's own words", async () => {
    problems.length = 0;
    await openAdminPage(page, app, shop, "/app", "zh-CN");
    await page.getByRole("heading", { name: "仪表板" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
    await screenshotWidths(page, "locale-dashboard-zh-CN");
    // A link inside the app carries no `locale`: the language is kept for the session.
    await page.getByRole("link", { name: /异常/ }).first().click();
    await page.waitForURL(/\/app\/trackings\?/);
    await page.getByRole("heading", { name: "物流跟踪" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
    // Polaris's own controls speak Chinese too (the link's filter shows, with "Clear all").
    await page.getByRole("button", { name: "全部清除" }).waitFor();
    await page.getByText("2026年12月1日").first().waitFor({ state: "attached" });
    await screenshotWidths(page, "locale-trackings-zh-CN");
    // A fresh document load without `locale` keeps it as well.
    await openAdminPage(page, app, shop, `/app/trackings/${trackingId}`);
    await page.getByText("2026年12月1日 04:30").first().waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
    await screenshotWidths(page, "locale-detail-zh-CN");
    expect(problems).toEqual([]);
  });
});
