import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { readTrackingMoreApiKey } from "~/models/settings.server";
import type { EmulatorHandle } from "../../devkit/emulator";
import { installShop, startAdminEmulator } from "../support/admin-fixtures";
import { TEST_APP } from "../support/env";
import {
  embeddedContext,
  openAdminPage,
  screenshotWidths,
  startAppAndBrowser,
  type RunningApp,
  stopBrowserTest,
} from "./support";

// The Settings page as one form, in headless Chromium against the production build: App
// Bridge's save bar (devkit's stand-in draws it where Shopify admin would), the fallback bar
// where App Bridge is missing, the key TrackingMore rejects, the webhook URL, a cancelled import.

const shop = "settings-e2e.myshopify.com";
const apiKey = "tm-settings-e2e-0001";
const POLL = { timeout: 8_000, interval: 100 };
const ORDERS = Array.from({ length: 24 }, (_, i) => 4001 + i).map((n) => ({
  id: `gid://shopify/Order/${n}`,
  legacyResourceId: String(n),
  name: `#${n}`,
  email: `import${n}@example.com`,
  createdAt: "2026-09-01T10:00:00Z",
  customer: { firstName: "Import", lastName: String(n), email: `import${n}@example.com`, phone: null },
  shippingAddress: { name: `Import ${n}`, countryCodeV2: "FR" },
  lineItems: { nodes: [{ title: "Vase", name: "Vase", quantity: 1 }] },
  fulfillments: [
    {
      id: `gid://shopify/Fulfillment/${n}`,
      legacyResourceId: String(n),
      name: `#${n}.1`,
      status: "SUCCESS",
      createdAt: "2026-09-02T10:00:00Z",
      updatedAt: "2026-09-02T10:00:00Z",
      service: { handle: "manual" },
      trackingInfo: [{ number: `9400400000000000000${n}`, company: "USPS", url: null }],
      fulfillmentLineItems: { nodes: [{ quantity: 1, lineItem: { title: "Vase", name: "Vase" } }] },
    },
  ],
}));

let emulator: EmulatorHandle;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const settingsRow = () => prisma.shopSettings.findUniqueOrThrow({ where: { shop } });
/** The save bar as the merchant sees it: App Bridge's (drawn by the stand-in) or the fallback. */
const saveBar = (p: Page) => p.getByRole("region", { name: /Unsaved changes|未保存的更改/ });
/** Both widths from the top of the page, where the save bar sits. */
async function screenshotFromTop(p: Page, name: string) {
  await p.evaluate(() => window.scrollTo(0, 0));
  await screenshotWidths(p, name);
}

beforeAll(async () => {
  emulator = await startAdminEmulator([{ apiKey, email: "settings-e2e@example.com", quota: 700 }]);
  await installShop(shop, apiKey);
  const ordersFile = path.join(mkdtempSync(path.join(tmpdir(), "settings-e2e-")), "orders.json");
  writeFileSync(ordersFile, JSON.stringify(ORDERS));
  // Each page of orders takes a moment, so the import is still running when it is cancelled.
  ({ app, browser } = await startAppAndBrowser(emulator.baseUrl, {
    app: { shopifyOrdersFile: ordersFile, shopifyPageDelayMs: 400 },
  }));
  context = await embeddedContext(browser, app, shop, { appBridge: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.origin });
  page = await context.newPage();
}, 60_000);

afterAll(() => stopBrowserTest({ context, browser, app, emulator }));

beforeEach(async () => {
  await page.setViewportSize({ width: 1440, height: 1000 });
});

describe("settings as one form", { timeout: 60_000 }, () => {
  it("shows the sections with no Save button of their own, and the webhook URL with Copy", async () => {
    await openAdminPage(page, app, shop, "/app/settings", "en");
    for (const title of [
      "TrackingMore connection",
      "How trackings are created",
      "Write-back to Shopify",
      "Delivery promises",
      "Carrier mapping",
    ])
      await page.getByRole("heading", { name: title, exact: true }).waitFor();
    expect(await page.getByRole("button", { name: "Save", exact: true }).count()).toBe(0);
    expect(await saveBar(page).count()).toBe(0);

    const expected = new URL("/webhooks/trackingmore", TEST_APP.appUrl).toString();
    const field = page.getByLabel("TrackingMore webhook URL");
    expect(await field.inputValue()).toBe(expected);
    await page.getByRole("button", { name: "Copy", exact: true }).click();
    await page.getByRole("button", { name: "Copied", exact: true }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    await screenshotFromTop(page, "settings-form-clean-en");
    await openAdminPage(page, app, shop, "/app/settings", "zh-CN");
    await page.getByRole("heading", { name: "回写到 Shopify" }).waitFor();
    await screenshotFromTop(page, "settings-form-clean-zh-CN");
  });

  it("saves two changed sections with the save bar's one Save, and both are there after a reload", async () => {
    await openAdminPage(page, app, shop, "/app/settings", "en");
    const writeBack = page.getByLabel("Update the fulfillment status in Shopify");
    expect(await writeBack.isChecked()).toBe(true);
    await page.getByLabel("Stalled after (days without a carrier update)").fill("12");
    await writeBack.uncheck();
    await saveBar(page).waitFor();
    await screenshotFromTop(page, "settings-form-dirty-en");

    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await page.getByText("Settings saved.").waitFor();
    await saveBar(page).waitFor({ state: "detached" });
    expect(await settingsRow()).toMatchObject({ stalledAfterDays: 12, writeBackEnabled: false });

    await page.reload();
    await openAdminPage(page, app, shop, "/app/settings", "en");
    expect(await page.getByLabel("Stalled after (days without a carrier update)").inputValue()).toBe("12");
    expect(await page.getByLabel("Update the fulfillment status in Shopify").isChecked()).toBe(false);
    expect(await saveBar(page).count()).toBe(0);
  });

  it("discards the changes with the save bar's Discard", async () => {
    await openAdminPage(page, app, shop, "/app/settings", "zh-CN");
    await page.getByLabel("标题模板").fill("Discard me");
    await saveBar(page).waitFor();
    await screenshotFromTop(page, "settings-form-dirty-zh-CN");
    await saveBar(page).getByRole("button", { name: "放弃" }).click();
    await saveBar(page).waitFor({ state: "detached" });
    expect(await page.getByLabel("标题模板").inputValue()).toBe("{{first_item}}{{more_items}}");
  });

  it("asks before leaving with unsaved changes, and stays when the merchant says so", async () => {
    await openAdminPage(page, app, shop, "/app/settings", "en");
    await page.getByLabel("Title template").fill("Leave me");
    await saveBar(page).waitFor();
    // Shopify admin's menu (App Bridge's nav menu) follows the app's own links.
    const toTrackings = () =>
      page
        .locator('ui-nav-menu a[href="/app/trackings"]')
        .evaluate((link: HTMLAnchorElement) => link.click());
    const asked: string[] = [];
    page.once("dialog", (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await toTrackings();
    await expect.poll(() => asked.length, POLL).toBe(1);
    expect(new URL(page.url()).pathname).toBe("/app/settings");
    expect(await page.getByLabel("Title template").inputValue()).toBe("Leave me");

    page.once("dialog", (dialog) => void dialog.accept());
    await toTrackings();
    await page.waitForURL((url) => url.pathname === "/app/trackings");
    expect((await settingsRow()).titleTemplate).not.toBe("Leave me");
  });

  it("keeps a key TrackingMore rejects in its field, with the error under it, and saves nothing", async () => {
    await openAdminPage(page, app, shop, "/app/settings", "en");
    await page.getByLabel("Stalled after (days without a carrier update)").fill("20");
    const keyField = page.getByLabel("TrackingMore API key");
    await keyField.fill("tm-not-a-real-key-42");
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await page.getByText("TrackingMore did not accept this API key.").waitFor();
    await page.getByText("Nothing was saved. Fix the fields marked below, then save again.").waitFor();
    expect(await keyField.inputValue()).toBe("tm-not-a-real-key-42");
    expect(await page.getByLabel("Stalled after (days without a carrier update)").inputValue()).toBe("20");
    // Still unsaved: the bar stays.
    await saveBar(page).waitFor();
    expect(await readTrackingMoreApiKey(shop)).toBe(apiKey);
    expect((await settingsRow()).stalledAfterDays).toBe(12);
    await screenshotFromTop(page, "settings-form-error-en");

    await openAdminPage(page, app, shop, "/app/settings", "zh-CN");
    await page.getByLabel("TrackingMore API 密钥").fill("tm-not-a-real-key-42");
    await saveBar(page).getByRole("button", { name: "保存" }).click();
    await page.getByText("未保存任何内容。请修正下方标出的字段，然后再次保存。").waitFor();
    expect(await page.getByLabel("TrackingMore API 密钥").inputValue()).toBe("tm-not-a-real-key-42");
    await screenshotFromTop(page, "settings-form-error-zh-CN");
  });

  it("saves from the bar at the top of the page where App Bridge's save bar is missing", async () => {
    const plain = await embeddedContext(browser, app, shop);
    try {
      const tab = await plain.newPage();
      await openAdminPage(tab, app, shop, "/app/settings", "en");
      await tab
        .getByLabel("Track air waybills flight by flight (uses 20 TrackingMore quota per lookup)")
        .check();
      await saveBar(tab).waitFor();
      await tab.setViewportSize({ width: 1280, height: 900 });
      await screenshotFromTop(tab, "settings-form-fallback-bar-en");
      await saveBar(tab).getByRole("button", { name: "Save" }).click();
      await tab.getByText("Settings saved.").waitFor();
      await expect.poll(async () => (await settingsRow()).airCargoEnabled, POLL).toBe(true);
    } finally {
      await plain.close();
    }
  });

  it("cancels a running import, which stops and says how far it got", async () => {
    await openAdminPage(page, app, shop, "/app/settings", "en");
    await page.getByLabel("Fulfilled from").fill("2026-09-01");
    await page.getByLabel("Fulfilled until").fill("2026-09-30");
    await page.getByRole("button", { name: "Check what it would import" }).click();
    await page.getByText("24 orders: 24 new trackings").waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Start import" }).click();
    await page.getByText(/Importing 2026-09-01 – 2026-09-30/).waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Cancel import" }).click();
    await page.getByText(/Cancelled — \d+ orders imported/).waitFor({ timeout: 20_000 });
    expect(await page.getByRole("button", { name: "Cancel import" }).count()).toBe(0);

    // The worker finishes the page it was on and does not go on with the job.
    await expect
      .poll(async () => (await prisma.backfillJob.findFirstOrThrow({ where: { shop } })).leaseOwner, POLL)
      .toBeNull();
    const job = await prisma.backfillJob.findFirstOrThrow({ where: { shop } });
    expect(job.state).toBe("cancelled");
    expect(job.ordersSeen).toBeLessThan(ORDERS.length);
    await page.waitForTimeout(1_500);
    expect(await prisma.backfillJob.findFirstOrThrow({ where: { shop } })).toMatchObject({
      state: "cancelled",
      ordersSeen: job.ordersSeen,
    });
    expect(await prisma.tracking.count({ where: { shop } })).toBe(job.trackingsAdded);
    await page.getByText(`Cancelled — ${job.ordersSeen} orders imported`, { exact: false }).waitFor(POLL);
    await page.getByRole("button", { name: "Check what it would import" }).scrollIntoViewIfNeeded();
    await screenshotFromTop(page, "settings-import-cancelled-en");
  });
});
