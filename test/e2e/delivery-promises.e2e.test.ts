import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { syncDeliveryPromises } from "~/pipeline/delivery-promises/sync.server";
import type { EmulatorHandle } from "../../devkit/emulator";
import { installShop, startAdminEmulator } from "../support/admin-fixtures";
import {
  embeddedContext,
  openAdminPage,
  screenshot,
  startAppAndBrowser,
  type RunningApp,
  stopBrowserTest,
} from "./support";

// Delivery promises in the browser: the carrier performance page, the estimate column and the
// late view, the parcel's estimate and remote-area banner, the dashboard's card and digest —
// desktop and phone width, English and Simplified Chinese, with screenshots to look at.

const shop = "e2e-promise.myshopify.com";
const apiKey = "tm-e2e-promise-0001";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.now();
let emulator: EmulatorHandle;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const ROUTES = [
  { carrier: "ups", from: "CN", to: "US", days: [3, 4, 4, 5, 5, 6, 9] },
  { carrier: "dhl", from: "CN", to: "GB", days: [2, 3, 3, 3, 4, 7] },
  { carrier: "fedex", from: "US", to: "CA", days: [1, 2, 2, 3, 6] },
  { carrier: "usps", from: "US", to: "US", days: [2, 3, 4, 5, 8, 11] },
];

const checkpoint = (at: number, status: string, description: string) => ({
  time: new Date(at).toISOString(),
  description,
  location: null,
  status,
  substatus: null,
  leg: "destination",
});

let n = 0;
/** Seeded in transit (so they get an estimate on the way), delivered after the first sync. */
const deliveries: { number: string; delivered: ReturnType<typeof checkpoint> }[] = [];
async function parcel(
  route: (typeof ROUTES)[number],
  createdDaysAgo: number,
  days: number | null,
  extra = {},
) {
  const createdAt = now - createdDaysAgo * DAY;
  const shipped = createdAt + 2 * HOUR;
  const checkpoints = [checkpoint(shipped, "transit", "Accepted by carrier")];
  if (n % 5 === 1) checkpoints.push(checkpoint(shipped + DAY, "undelivered", "Delivery attempt failed"));
  const delivered = days === null ? null : checkpoint(shipped + days * DAY - HOUR, "delivered", "Delivered");
  if (delivered)
    deliveries.push({ number: `${route.carrier.toUpperCase()}${String(n + 1).padStart(9, "0")}`, delivered });
  return prisma.tracking.create({
    data: {
      shop,
      orderId: String(9000 + ++n),
      orderName: `#${9000 + n}`,
      trackingNumber: `${route.carrier.toUpperCase()}${String(n).padStart(9, "0")}`,
      carrierCode: route.carrier,
      originCountry: route.from,
      destinationCode: route.to,
      customerName: "Ada Lovelace",
      status: "transit",
      syncState: "synced",
      createdAt: new Date(createdAt),
      lastEventAt: new Date(checkpoints[checkpoints.length - 1].time),
      lastEvent: checkpoints[checkpoints.length - 1].description,
      checkpoints: JSON.stringify(checkpoints),
      ...extra,
    },
  });
}

async function syncAll() {
  await new Promise((resolve) => setTimeout(resolve, 5));
  while ((await syncDeliveryPromises({ settleMs: 0 })) > 0);
}

beforeAll(async () => {
  emulator = await startAdminEmulator([{ apiKey, email: "promise@example.com", quota: 5000 }]);
  await installShop(shop, apiKey);
  for (const route of ROUTES) {
    await prisma.transitTimeStats.create({
      data: {
        carrierCode: route.carrier,
        originCountry: route.from,
        destinationCountry: route.to,
        requestedBy: shop,
        total: 2400,
        delivered: 2210,
        ranges: JSON.stringify([62, 24, 9, 4, 1]),
        fetchedAt: new Date(),
        nextFetchAt: new Date(now + 7 * DAY),
      },
    });
    for (const [i, days] of route.days.entries()) await parcel(route, 25 - i * 3, days);
  }
  // In transit now: one on time, one past its estimate (shipped 28 days ago), one stalled.
  await parcel(ROUTES[0], 1, null);
  await parcel(ROUTES[1], 28, null);
  await parcel(ROUTES[2], 2, null);
  await syncAll();
  for (const { number, delivered } of deliveries) {
    const row = await prisma.tracking.findFirstOrThrow({ where: { shop, trackingNumber: number } });
    const checkpoints = [...(JSON.parse(row.checkpoints!) as unknown[]), delivered];
    await prisma.tracking.update({
      where: { id: row.id },
      data: {
        status: "delivered",
        checkpoints: JSON.stringify(checkpoints),
        lastEvent: "Delivered",
        lastEventAt: new Date(delivered.time),
      },
    });
  }
  await syncAll();
  await prisma.deliveryPromise.updateMany({
    where: { shop, carrierCode: "fedex", status: "transit" },
    data: { remoteArea: true, remoteCheckedAt: new Date() },
  });

  ({ app, browser } = await startAppAndBrowser(emulator.baseUrl));
  context = await embeddedContext(browser, app, shop);
  page = await context.newPage();
  page.setDefaultTimeout(8_000);
  if (process.env.E2E_DEBUG) page.on("console", (m) => process.stderr.write(`console: ${m.text()}\n`));
  if (process.env.E2E_DEBUG) page.on("pageerror", (e) => process.stderr.write(`pageerror: ${e.message}\n`));
}, 60_000);

afterAll(() => stopBrowserTest({ context, browser, app, emulator }));

const desktop = { width: 1440, height: 1000 };
const phone = { width: 390, height: 844 };

describe("delivery promises in the browser", { timeout: 30_000 }, () => {
  it("shows carrier performance as charts and tables, in English and Chinese, desktop and phone", async () => {
    await page.setViewportSize(desktop);
    await openAdminPage(page, app, shop, "/app/analytics?locale=en");
    const body = await page.locator("body").innerText();
    expect(body).toContain("Carrier performance");
    expect(body).toContain("By carrier");
    expect(body).toContain("CN → US");
    await screenshot(page, "analytics-en-desktop");
    await page.setViewportSize(phone);
    await screenshot(page, "analytics-en-390");

    await openAdminPage(page, app, shop, "/app/analytics?locale=zh-CN&period=90");
    expect(await page.locator("body").innerText()).toContain("按承运商");
    await screenshot(page, "analytics-zh-390");
    await page.setViewportSize(desktop);
    await screenshot(page, "analytics-zh-desktop");
  });

  it("lists estimates, the late view and the remote flag; the parcel page explains its estimate", async () => {
    await page.setViewportSize(desktop);
    await openAdminPage(page, app, shop, "/app/trackings?sort=estimatedDeliveryAt&dir=asc&locale=en");
    const list = await page.locator("body").innerText();
    expect(list).toContain("Later than expected");
    expect(list).toContain("Remote area");
    await screenshot(page, "trackings-estimates-en-desktop");

    await openAdminPage(page, app, shop, "/app/trackings?view=late&locale=en");
    expect(await page.locator(".Polaris-IndexTable__TableRow").count()).toBe(1);
    await screenshot(page, "trackings-late-en-desktop");

    const onTime = await prisma.tracking.findFirstOrThrow({
      where: { shop, carrierCode: "fedex", status: "transit" },
    });
    await openAdminPage(page, app, shop, `/app/trackings/${onTime.id}?locale=en`);
    const detail = await page.locator("body").innerText();
    expect(detail).toContain("Estimated delivery");
    expect(detail).toContain("of parcels on this route arrive in this window");
    expect(detail).toContain("Remote delivery area");
    await screenshot(page, "tracking-estimate-en-desktop");
    await page.setViewportSize(phone);
    await openAdminPage(page, app, shop, `/app/trackings/${onTime.id}?locale=zh-CN`);
    expect(await page.locator("body").innerText()).toContain("预计送达");
    await screenshot(page, "tracking-estimate-zh-390");
  });

  it("looks up an air waybill's flights when asked, with the quota cost on the button", async () => {
    await prisma.shopSettings.update({ where: { shop }, data: { airCargoEnabled: true } });
    const awb = await prisma.tracking.create({
      data: {
        shop,
        orderId: "9999",
        orderName: "#9999",
        trackingNumber: "172-28891936",
        trackingCompany: "China Cargo Airlines",
        syncState: "needs_carrier",
      },
    });
    await page.setViewportSize(desktop);
    await openAdminPage(page, app, shop, `/app/trackings/${awb.id}?locale=en`);
    const button = page.getByRole("button", { name: "Look up flights (uses 20 quota)" });
    await button.click();
    await expect
      .poll(() => page.locator("body").innerText(), { timeout: 8_000 })
      .toContain("From PVG to LAX");
    expect(await page.locator("body").innerText()).toMatch(/flight CK\d+/);
    await screenshot(page, "tracking-air-waybill-en-desktop");
  });

  it("shows late and stalled parcels and the daily digest on the dashboard", async () => {
    await page.setViewportSize(desktop);
    await openAdminPage(page, app, shop, "/app?locale=en");
    const body = await page.locator("body").innerText();
    expect(body).toContain("Delivery promises");
    expect(body).toContain("Daily digest");
    await screenshot(page, "dashboard-promises-en-desktop");
    await page.setViewportSize(phone);
    await openAdminPage(page, app, shop, "/app?locale=zh-CN");
    expect(await page.locator("body").innerText()).toContain("每日摘要");
    await screenshot(page, "dashboard-promises-zh-390");
  });
});
