import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { COUNT_CAP } from "~/models/delivery-promise/attention.server";
import type { EmulatorHandle } from "../../devkit/emulator";
import { installShop, startAdminEmulator } from "../support/admin-fixtures";
import {
  embeddedContext,
  openAdminPage,
  screenshotWidths,
  startAppAndBrowser,
  type RunningApp,
  stopBrowserTest,
} from "./support";

// Issue 12, item 11, in the browser: the list's customer-name search goes through the search
// index (a part of a name, in any case, beyond ASCII), and the dashboard of a shop with a
// backlog counts "needs your attention" up to the cap ("1000+") instead of reading it all.

const shop = "e2e-search.myshopify.com";
const apiKey = "tm-e2e-search-0001";
let emulator: EmulatorHandle;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const POLL = { timeout: 8_000, interval: 100 };

beforeAll(async () => {
  emulator = await startAdminEmulator([{ apiKey, email: "search@example.com", quota: 5000 }]);
  await installShop(shop, apiKey);
  const names = ["Élodie Durand", "王小明", "Alexander Hamilton"];
  // A backlog: more failed deliveries than the dashboard counts, each with a customer.
  const backlog = COUNT_CAP + 20;
  await prisma.tracking.createMany({
    data: Array.from({ length: backlog + names.length }, (_, i) => ({
      shop,
      orderId: String(7000 + i),
      orderName: `#${7000 + i}`,
      trackingNumber: `9400SEARCH${String(i).padStart(6, "0")}`,
      carrierCode: "usps",
      customerName: i < names.length ? names[i] : `Grace Hopper ${i}`,
      status: i < names.length ? "transit" : "undelivered",
      syncState: "synced",
      lastEventAt: new Date(),
      createdAt: new Date(Date.now() - i * 60_000),
    })),
  });
  ({ app, browser } = await startAppAndBrowser(emulator.baseUrl));
  context = await embeddedContext(browser, app, shop);
  page = await context.newPage();
  page.setDefaultTimeout(8_000);
}, 60_000);

afterAll(() => stopBrowserTest({ context, browser, app, emulator }));

describe("search and counts of a large shop in a browser", { timeout: 60_000 }, () => {
  it("finds a customer by part of the name, in any case, beyond ASCII", async () => {
    await openAdminPage(page, app, shop, "/app/trackings");
    const rows = page.locator(".Polaris-IndexTable__TableRow");
    await expect.poll(() => rows.count(), POLL).toBe(50);
    await page.getByRole("button", { name: /Search and filter/ }).click();
    const search = page.getByPlaceholder("Search tracking number, order, customer name or email");
    // Lower case for "É": SQLite's LIKE folds ASCII only; the index folds Unicode.
    await search.fill("élodie");
    await page.waitForURL(/q=%C3%A9lodie/);
    await expect.poll(() => rows.count(), POLL).toBe(1);
    expect(await rows.first().innerText()).toContain("Élodie Durand");
    await search.fill("amilto");
    await page.waitForURL(/q=amilto/);
    await expect.poll(() => rows.count(), POLL).toBe(1);
    expect(await rows.first().innerText()).toContain("Alexander Hamilton");
    await screenshotWidths(page, "search-name-en");

    await openAdminPage(page, app, shop, `/app/trackings?q=${encodeURIComponent("王小明")}`, "zh-CN");
    await expect.poll(() => rows.count(), POLL).toBe(1);
    expect(await rows.first().innerText()).toContain("王小明");
    await screenshotWidths(page, "search-name-zh-CN");
  });

  it("counts a backlog on the dashboard up to the cap", async () => {
    for (const locale of ["en", "zh-CN"]) {
      await openAdminPage(page, app, shop, "/app", locale);
      const capped = page.getByText(`${COUNT_CAP}+`, { exact: true });
      // Exceptions (exception + failed attempts) and failed attempts: both over the cap.
      await expect.poll(() => capped.count(), POLL).toBe(2);
      await screenshotWidths(page, `search-dashboard-backlog-${locale}`);
    }
  });
});
