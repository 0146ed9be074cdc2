import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
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

// The carrier screens in headless Chromium against the production build: the settings page's
// country-scoped mappings and last-30-days report, and a parcel's carrier switches, in English
// and Simplified Chinese, on a desktop and a 390 px phone.

const shop = "e2e-carriers.myshopify.com";
const apiKey = "tm-e2e-carriers-0001";
let emulator: EmulatorHandle;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let switchedId = "";

beforeAll(async () => {
  emulator = await startAdminEmulator([{ apiKey, email: "carriers@example.com", quota: 5000 }]);
  await installShop(shop, apiKey);
  await prisma.shop.update({ where: { domain: shop }, data: { countryCode: "DE" } });
  await prisma.carrierOverride.create({
    data: { shop, trackingCompany: "dhl", country: "AT", carrierCode: "austria-post" },
  });
  const seed = async (company: string, carrierCode: string, source: string, status: string) => {
    const row = await seedSyncedTracking(shop, apiKey, { title: company, status: "transit" });
    return prisma.tracking.update({
      where: { id: row.id },
      data: { trackingCompany: company, originCountry: "DE", carrierCode, carrierSource: source, status },
    });
  };
  await seed("DHL", "dhl-germany", "shopify_table", "transit");
  await seed("DHL", "dhl-germany", "shopify_table", "delivered");
  await seed("Hermes", "hermes-de", "shopify_table", "notfound");
  await seed("Hermes", "hermes-de", "shopify_table", "notfound");
  const switched = await seed("DHL Express", "dhl-germany", "detected", "transit");
  switchedId = switched.id;
  await prisma.tracking.update({ where: { id: switchedId }, data: { carrierSwitches: 1 } });
  await prisma.carrierSwitch.create({
    data: { shop, trackingId: switchedId, fromCarrier: "dhl", toCarrier: "dhl-germany", reason: "notfound" },
  });
  ({ app, browser } = await startAppAndBrowser(emulator.baseUrl));
  context = await embeddedContext(browser, app, shop);
  page = await context.newPage();
  page.setDefaultTimeout(8_000);
}, 60_000);

afterAll(() => stopBrowserTest({ context, browser, app, emulator }));

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 1000 },
  { name: "phone", width: 390, height: 844 },
];

describe("carrier screens", () => {
  for (const locale of ["en", "zh-CN"] as const) {
    for (const viewport of VIEWPORTS) {
      it(`settings shows the mapping report and country-scoped mappings (${locale}, ${viewport.name})`, async () => {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await openAdminPage(page, app, shop, `/app/settings?locale=${locale}`);
        if (locale === "en") {
          await page.getByText("Carrier mapping, last 30 days").waitFor();
          await page.getByText("Never found", { exact: true }).first().waitFor();
          await page.getByText("Hermes Germany").first().waitFor();
          await page.getByText("2 of 2").first().waitFor();
          expect(await page.getByLabel("Ships from").first().inputValue()).toBe("AT");
        } else {
          await page.getByText("承运商匹配（最近 30 天）").waitFor();
          await page.getByText("始终未查到").waitFor();
        }
        await screenshot(page, `carriers-settings-${locale}-${viewport.name}`);
      });

      it(`a parcel's page shows its carrier switches (${locale}, ${viewport.name})`, async () => {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await openAdminPage(page, app, shop, `/app/trackings/${switchedId}?locale=${locale}`);
        await page
          .getByText(
            locale === "en"
              ? /moved from DHL to Deutsche Post DHL, because TrackingMore could not find the parcel with DHL/
              : /由 DHL 改为 德国DHL，/,
          )
          .waitFor();
        await screenshot(page, `carriers-detail-${locale}-${viewport.name}`);
      });
    }
  }
});
