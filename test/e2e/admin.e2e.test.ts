import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { encryptSecret } from "~/lib/secrets.server";
import { recordCustomerDataRequest } from "~/models/privacy.server";
import { readTrackingMoreApiKey } from "~/models/settings.server";
import { trackingMoreClientForKey } from "~/trackingmore.server";
import type { EmulatorHandle } from "../../devkit/emulator";
import { installShop, seedSyncedTracking, startAdminEmulator } from "../support/admin-fixtures";
import {
  embeddedContext,
  openAdminPage,
  screenshot,
  startAppAndBrowser,
  type RunningApp,
  stopBrowserTest,
} from "./support";

// The merchant's admin in headless Chromium against the production build: what a merchant
// clicks, checked in our database and at the TrackingMore emulator.

const shop = "e2e-shop.myshopify.com";
const apiKey = "tm-e2e-key-00000001";
const newApiKey = "tm-e2e-key-00000002";
let emulator: EmulatorHandle;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let ordersFile: string;
// The page updates after a loader round trip; vitest's default poll (1 s) is too tight on a busy CI.
const POLL = { timeout: 8_000, interval: 100 };
const PAST_ORDERS = [3001, 3002, 3003].map((n) => ({
  id: `gid://shopify/Order/${n}`,
  legacyResourceId: String(n),
  name: `#${n}`,
  email: `past${n}@example.com`,
  createdAt: "2026-09-01T10:00:00Z",
  customer: { firstName: "Past", lastName: String(n), email: `past${n}@example.com`, phone: null },
  shippingAddress: { name: `Past ${n}`, countryCodeV2: "FR" },
  lineItems: { nodes: [{ title: "Lamp", name: "Lamp", quantity: 1 }] },
  fulfillments: [
    {
      id: `gid://shopify/Fulfillment/${n}`,
      legacyResourceId: String(n),
      name: `#${n}.1`,
      status: "SUCCESS",
      createdAt: "2026-09-02T10:00:00Z",
      updatedAt: "2026-09-02T10:00:00Z",
      service: { handle: "manual" },
      trackingInfo: [{ number: `9400300000000000000${n}`, company: "USPS", url: null }],
      fulfillmentLineItems: { nodes: [{ quantity: 1, lineItem: { title: "Lamp", name: "Lamp" } }] },
    },
  ],
}));
const seeded: Awaited<ReturnType<typeof seedSyncedTracking>>[] = [];

const remote = (trackingNumber: string) =>
  trackingMoreClientForKey(apiKey).getTracking("usps", trackingNumber);

beforeAll(async () => {
  emulator = await startAdminEmulator([
    { apiKey, email: "e2e@example.com", quota: 5000 },
    { apiKey: newApiKey, email: "e2e2@example.com", quota: 42 },
  ]);
  await installShop(shop, apiKey);
  const names = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov"];
  for (const [i, name] of names.entries()) {
    seeded.push(
      await seedSyncedTracking(shop, apiKey, {
        customerName: name,
        title: `Parcel ${i + 1}`,
        status: i === 4 ? "exception" : "transit",
      }),
    );
  }
  // What Shopify's Admin API answers the backfill's orders query in the app process.
  ordersFile = path.join(mkdtempSync(path.join(tmpdir(), "trackbridge-e2e-")), "orders.json");
  writeFileSync(ordersFile, JSON.stringify(PAST_ORDERS));
  ({ app, browser } = await startAppAndBrowser(emulator.baseUrl, { app: { shopifyOrdersFile: ordersFile } }));
  context = await embeddedContext(browser, app, shop);
  page = await context.newPage();
  // Fail with Playwright's own message well before vitest's timeout.
  page.setDefaultTimeout(8_000);
}, 60_000);

afterAll(() => stopBrowserTest({ context, browser, app, emulator }));

describe("the merchant admin in a browser", { timeout: 30_000 }, () => {
  it("opens the dashboard with a session token", async () => {
    await openAdminPage(page, app, shop, "/app");
    await page.getByRole("heading", { name: "Trackings by status" }).waitFor();
    await screenshot(page, "dashboard");
    // The quota comes from TrackingMore's user info (5 000 less the 5 seeded creates).
    expect(await page.getByText("4,995", { exact: true }).count()).toBe(1);
    const byStatus = page.getByRole("list", { name: "Trackings by status" });
    expect(await byStatus.count()).toBe(1);
    // One row per status, each linking to the filtered list of the same 30 days; the seeded
    // exception is counted.
    expect(await byStatus.getByRole("listitem").count()).toBe(8);
    const exception = byStatus.getByRole("link", { name: /Exception\s*1$/ });
    expect(await exception.count()).toBe(1);
    const href = (await exception.getAttribute("href")) ?? "";
    const from = /status=exception&archived=any&from=(\d{4}-\d{2}-\d{2})$/.exec(href)?.[1];
    // The chart's first day: 29 days before today (UTC).
    const daysBack = (Date.now() - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
    expect(Math.floor(daysBack)).toBe(29);
    // A shorter period: the bars' links follow it, and a reload keeps it.
    await page.getByLabel("Period").selectOption("7");
    await page.waitForURL(/period=7/);
    // The trackings figure says which period it counts.
    const trackingsCard = page.getByRole("heading", { name: "Trackings", exact: true }).locator("xpath=..");
    await trackingsCard.getByText("Last 7 days", { exact: true }).waitFor();
    await expect
      .poll(async () => {
        const from7 = /from=(\d{4}-\d{2}-\d{2})$/.exec((await exception.getAttribute("href")) ?? "")?.[1];
        return Math.floor((Date.now() - Date.parse(`${from7}T00:00:00Z`)) / 86_400_000);
      })
      .toBe(6);
  });

  it("searches and filters the list", async () => {
    await openAdminPage(page, app, shop, "/app/trackings");
    const rows = page.locator(".Polaris-IndexTable__TableRow");
    await expect.poll(() => rows.count(), POLL).toBe(5);
    // IndexFilters shows its search field once the merchant opens "Search and filter".
    await page.getByRole("button", { name: /Search and filter/ }).click();
    await page.getByPlaceholder("Search tracking number, order, customer name or email").fill("Hopper");
    await page.waitForURL(/q=Hopper/);
    await expect.poll(() => rows.count(), POLL).toBe(1);
    expect(await rows.first().innerText()).toContain("Grace Hopper");
    await screenshot(page, "trackings-search");

    await openAdminPage(page, app, shop, "/app/trackings");
    await page.getByRole("tab", { name: "Exceptions" }).click();
    await page.waitForURL(/view=exceptions/);
    await expect.poll(() => rows.count(), POLL).toBe(1);
    expect(await rows.first().innerText()).toContain("Barbara Liskov");
    await screenshot(page, "trackings-exceptions");
  });

  it("exports the filtered list as a CSV download through an authenticated fetch", async () => {
    await openAdminPage(page, app, shop, "/app/trackings?status=exception");
    const exportUrls: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("export.csv")) exportUrls.push(request.url());
    });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^trackings-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync((await download.path())!);
    // A UTF-8 byte order mark, so Excel keeps names outside ASCII.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").trim().split("\r\n");
    expect(lines[0]).toBe(
      "Tracking number,Carrier,Order,Title,Customer,Customer email,Status,Last event,Last update,Archived,TrackingMore,Created,Estimated delivery",
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/,USPS,#\d+,Parcel 5,Barbara Liskov,/);
    // The file came from a fetch carrying a fresh session token, not the page's token in a URL
    // (which Shopify lets expire a minute after the page loaded).
    expect(exportUrls).toHaveLength(1);
    expect(exportUrls[0]).not.toContain("id_token");
    expect(exportUrls[0]).toContain("status=exception");
  });

  it("bulk-archives three trackings", async () => {
    await openAdminPage(page, app, shop, "/app/trackings?sort=trackingNumber&dir=asc");
    const rows = page.locator(".Polaris-IndexTable__TableRow");
    await expect.poll(() => rows.count(), POLL).toBe(5);
    const chosen = [...seeded].sort((a, b) => a.trackingNumber.localeCompare(b.trackingNumber)).slice(0, 3);
    for (let i = 0; i < 3; i++) await rows.nth(i).locator('input[type="checkbox"]').check({ force: true });
    await page.getByRole("button", { name: "Archive", exact: true }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Archive 3 trackings?", { exact: false }).waitFor();
    await screenshot(page, "trackings-bulk-confirm");
    await dialog.getByRole("button", { name: "Archive", exact: true }).click();
    await page.getByText("Archive: 3 trackings saved").waitFor();
    await page.getByText("3 accepted by TrackingMore.").waitFor();
    await dialog.waitFor({ state: "hidden" });
    await screenshot(page, "trackings-bulk-result");
    for (const row of chosen) {
      expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).archived).toBe(true);
      expect((await remote(row.trackingNumber)).archived).toBe(true);
    }
    // Archived trackings leave the default view.
    await expect.poll(() => rows.count(), POLL).toBe(2);
  });

  it("edits a title on the detail page and marks an exception", async () => {
    const target = seeded[3];
    await openAdminPage(page, app, shop, `/app/trackings/${target.id}`);
    // The fields wait behind "Edit": the status and the timeline come first.
    expect(await page.getByLabel("Title", { exact: true }).count()).toBe(0);
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    const title = page.getByLabel("Title", { exact: true });
    await title.fill("Keyboard, boxed");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved and sent to TrackingMore.").waitFor();
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: target.id } })).title).toBe(
      "Keyboard, boxed",
    );
    expect((await remote(target.trackingNumber)).title).toBe("Keyboard, boxed");
    await screenshot(page, "tracking-detail-saved");

    const inline = page.getByRole("button", { name: "Mark as exception" });
    if ((await inline.count()) === 0) await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("button", { name: "Mark as exception" }).last().click();
    // It reaches Shopify too, so the page asks first.
    await page.getByRole("dialog").getByRole("button", { name: "Mark as exception" }).click();
    // The page's status badge follows once the list revalidates.
    // (A badge's text also carries its tone for screen readers, e.g. "Critical Exception".)
    await page.locator(".Polaris-Badge", { hasText: "Exception" }).first().waitFor();
    await expect
      .poll(
        async () => (await prisma.tracking.findUniqueOrThrow({ where: { id: target.id } })).manualStatus,
        POLL,
      )
      .toBe(7);
    expect((await remote(target.trackingNumber)).status).toBe("exception");
    await screenshot(page, "tracking-detail-exception");
  });

  it("saves an API key in settings, validated with TrackingMore and shown masked", async () => {
    await openAdminPage(page, app, shop, "/app/settings");
    await page.getByLabel("TrackingMore API key").fill(newApiKey);
    // No App Bridge in this context: the form's own bar at the top of the page saves.
    await page.getByRole("region", { name: "Unsaved changes" }).getByRole("button", { name: "Save" }).click();
    await page
      .getByText("API key saved. Your TrackingMore account has 42 trackings of quota left.")
      .waitFor();
    await page.getByText(/An API key is configured \(••••0002\)/).waitFor();
    expect(await readTrackingMoreApiKey(shop)).toBe(newApiKey);
    const html = await page.content();
    expect(html).not.toContain(newApiKey);
    expect(html).toContain(newApiKey.slice(-4));
    await screenshot(page, "settings");
  });

  it("shows the customers' data requests in settings, in English and Chinese, wide and narrow", async () => {
    const customer = await prisma.tracking.update({
      where: { id: seeded[0].id },
      data: { customerEmail: "ada@example.com", customerPhone: "+44 20 7946 0958" },
    });
    await recordCustomerDataRequest(shop, {
      customer: { id: 501, email: "Ada@Example.com" },
      dataRequestId: "e2e-data-request",
    });
    // An account email another TRACKBRIDGE_ENCRYPTION_KEY wrote: shown as "enter it again".
    await prisma.shopSettings.update({
      where: { shop },
      data: { trackingMoreAccountEmailCipher: encryptSecret("e2e@example.com", Buffer.alloc(32, 7)) },
    });
    await openAdminPage(page, app, shop, "/app/settings");
    await page.getByText(/The saved TrackingMore account email cannot be decrypted/).waitFor();
    await page.getByText("Customer data requests").waitFor();
    await page.getByRole("button", { name: "Show data" }).click();
    await page.getByText(customer.trackingNumber, { exact: false }).first().waitFor();
    await page.getByText("Ada Lovelace", { exact: false }).first().waitFor();
    await screenshot(page, "settings-data-requests");
    await page.setViewportSize({ width: 390, height: 900 });
    await screenshot(page, "settings-data-requests-390");

    await openAdminPage(page, app, shop, "/app/settings?locale=zh-CN");
    await page.getByText("客户数据请求").waitFor();
    await page.getByText(/已保存的 TrackingMore 账户邮箱无法解密/).waitFor();
    await page.getByRole("button", { name: "查看数据" }).click();
    await page.getByText("Ada Lovelace", { exact: false }).first().waitFor();
    await screenshot(page, "settings-data-requests-zh-CN-390");
    await page.setViewportSize({ width: 1440, height: 1000 });
    await screenshot(page, "settings-data-requests-zh-CN");
    await prisma.shopSettings.update({ where: { shop }, data: { trackingMoreAccountEmailCipher: null } });
  });

  it("runs a small backfill to completion", async () => {
    // English explicitly: the language a page was opened in is kept for the session (a cookie).
    await openAdminPage(page, app, shop, "/app/settings", "en");
    await page.getByLabel("Fulfilled from").fill("2026-09-01");
    await page.getByLabel("Fulfilled until").fill("2026-09-30");
    await page.getByRole("button", { name: "Check what it would import" }).click();
    await page.getByText("3 orders: 3 new trackings").waitFor();
    await page.getByText("This needs 3 trackings of TrackingMore quota; you have 42 left.").waitFor();
    await screenshot(page, "settings-backfill-estimate");
    await page.getByRole("button", { name: "Start import" }).click();
    // The background job in the app process reads the pages; the card polls its progress.
    await page
      .getByText(/Import of 2026-09-01 – 2026-09-30 finished: 3 orders read, 3 trackings created\./)
      .waitFor({
        timeout: 20_000,
      });
    await screenshot(page, "settings-backfill-done");
    const imported = await prisma.tracking.findMany({
      where: { shop, orderName: { in: ["#3001", "#3002", "#3003"] } },
    });
    expect(imported).toHaveLength(3);
    expect(imported.every((t) => t.customerEmail?.startsWith("past"))).toBe(true);
  });

  it("turns on the tracking page link for Shopify's notifications", async () => {
    await openAdminPage(page, app, shop, "/app/settings");
    const option = page.getByLabel("Link Shopify's shipping e-mails to the tracking page");
    expect(await option.isChecked()).toBe(false);
    await option.check();
    await page.getByRole("region", { name: "Unsaved changes" }).getByRole("button", { name: "Save" }).click();
    await expect
      .poll(
        async () =>
          (await prisma.shopSettings.findUniqueOrThrow({ where: { shop } })).trackingUrlInNotifications,
        POLL,
      )
      .toBe(true);
    // The form starts again from the saved settings once the page has them.
    await page.getByText("Settings saved.").waitFor();
    await expect.poll(() => option.isChecked(), POLL).toBe(true);
    await option.scrollIntoViewIfNeeded();
    await screenshot(page, "settings-tracking-link");
    await page.setViewportSize({ width: 390, height: 900 });
    await screenshot(page, "settings-tracking-link-390");
    await openAdminPage(page, app, shop, "/app/settings?locale=zh-CN");
    expect(await page.getByLabel("让 Shopify 的发货邮件链接到跟踪页面").isChecked()).toBe(true);
    await screenshot(page, "settings-tracking-link-zh-CN-390");
    await page.setViewportSize({ width: 1440, height: 1000 });
    await screenshot(page, "settings-tracking-link-zh-CN");
  });
});
