import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
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

// Carriers by name, never by TrackingMore's code, and chosen with a searchable picker: the
// list's carrier filter, the bulk "change carrier" modal, the detail page's carrier change and
// the settings' carrier mappings, in English and Simplified Chinese, on a desktop and a phone.

const shop = "e2e-carrier-picker.myshopify.com";
const apiKey = "tm-e2e-picker-0001";
let emulator: EmulatorHandle;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const seeded: Awaited<ReturnType<typeof seedSyncedTracking>>[] = [];
const POLL = { timeout: 8_000, interval: 100 };

const WORDS = {
  en: {
    chip: "Carrier: USPS",
    usps: "USPS",
    moreActions: "More actions",
    cardActions: "Actions",
    changeCarrier: "Change carrier",
    newCarrier: "New carrier",
    edit: "Edit",
    carrier: "Carrier",
    sfExpress: "S.F Express",
    cancel: "Cancel",
  },
  "zh-CN": {
    chip: "承运商：美国邮政",
    usps: "美国邮政",
    moreActions: "其他操作",
    cardActions: "操作",
    changeCarrier: "更改承运商",
    newCarrier: "新承运商",
    edit: "编辑",
    carrier: "承运商",
    sfExpress: "顺丰速运",
    cancel: "取消",
  },
} as const;

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 1000 },
  { name: "phone", width: 390, height: 844 },
];

beforeAll(async () => {
  emulator = await startAdminEmulator([{ apiKey, email: "picker@example.com", quota: 5000 }]);
  await installShop(shop, apiKey);
  await prisma.carrierOverride.create({
    data: { shop, trackingCompany: "post at", country: "", carrierCode: "austria-post" },
  });
  for (const title of ["Lamp", "Chair", "Desk"])
    seeded.push(await seedSyncedTracking(shop, apiKey, { title }));
  ({ app, browser } = await startAppAndBrowser(emulator.baseUrl));
  context = await embeddedContext(browser, app, shop);
  page = await context.newPage();
  page.setDefaultTimeout(8_000);
}, 60_000);

afterAll(() => stopBrowserTest({ context, browser, app, emulator }));

/** Types into a carrier picker and waits for the server's matches. */
async function search(field: ReturnType<Page["getByRole"]>, text: string, option: string | RegExp) {
  await field.click();
  await field.fill(text);
  const found = page.getByRole("option", { name: option }).first();
  await found.waitFor();
  return found;
}

describe("carriers by name, chosen by search", { timeout: 30_000 }, () => {
  for (const locale of ["en", "zh-CN"] as const) {
    const words = WORDS[locale];
    for (const viewport of VIEWPORTS) {
      const tag = `${locale}-${viewport.name}`;

      it(`names carriers in the list and its filter chip (${tag})`, async () => {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await openAdminPage(page, app, shop, `/app/trackings?carrier=usps&locale=${locale}`);
        await page.getByText(words.chip, { exact: true }).first().waitFor();
        const rows = page.locator(".Polaris-IndexTable__TableRow");
        await expect.poll(() => rows.count(), POLL).toBe(3);
        expect(await rows.first().innerText()).toContain(words.usps);
        // TrackingMore's code appears nowhere on the page.
        expect(await page.locator(".Polaris-Page").innerText()).not.toMatch(/\busps\b/);
        await screenshot(page, `carrier-picker-list-${tag}`);
      });

      it(`the bulk modal searches carriers by name (${tag})`, async () => {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await openAdminPage(page, app, shop, `/app/trackings?locale=${locale}`);
        const rows = page.locator(".Polaris-IndexTable__TableRow");
        await expect.poll(() => rows.count(), POLL).toBe(3);
        if (viewport.name === "phone") {
          // A phone's list is cards, each with its own checkbox and one actions menu above them.
          await rows.nth(0).getByRole("checkbox").check();
          await page.getByRole("button", { name: words.cardActions, exact: true }).click();
          await page.getByRole("menuitem", { name: words.changeCarrier }).click();
        } else {
          await rows.nth(0).locator('input[type="checkbox"]').check({ force: true });
          await page.getByRole("button", { name: words.moreActions }).first().click();
          await page.getByRole("button", { name: words.changeCarrier }).last().click();
        }
        const dialog = page.getByRole("dialog");
        const field = dialog.getByRole("combobox", { name: words.newCarrier, exact: true });
        const option = await search(field, "顺丰", new RegExp(words.sfExpress));
        await screenshot(page, `carrier-picker-bulk-${tag}`);
        await option.click();
        expect(await field.inputValue()).toBe(words.sfExpress);
        await dialog.getByRole("button", { name: words.cancel }).click();
        await dialog.waitFor({ state: "hidden" });
      });

      it(`the detail page names the carrier and searches for another (${tag})`, async () => {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await openAdminPage(page, app, shop, `/app/trackings/${seeded[2].id}?locale=${locale}`);
        await page.getByRole("button", { name: words.edit, exact: true }).click();
        const field = page.getByRole("combobox", { name: words.carrier, exact: true });
        expect(await field.inputValue()).toBe(words.usps);
        await search(field, "sf", new RegExp(words.sfExpress));
        await screenshot(page, `carrier-picker-detail-${tag}`);
      });
    }
  }

  it("changes a parcel's carrier on the detail page by typing its name and picking it", async () => {
    await page.setViewportSize({ width: 1440, height: 1000 });
    const target = seeded[0];
    await openAdminPage(page, app, shop, `/app/trackings/${target.id}?locale=en`);
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    const field = page.getByRole("combobox", { name: "Carrier", exact: true });
    const change = page.getByRole("button", { name: "Change carrier" });
    // Typed text that is not a picked carrier cannot be sent.
    await field.fill("deutsche");
    expect(await change.isDisabled()).toBe(true);
    const option = await search(field, "deutsche post d", /Deutsche Post DHL\s*dhl-germany/);
    await option.click();
    expect(await field.inputValue()).toBe("Deutsche Post DHL");
    await page.getByText("TrackingMore code: dhl-germany").waitFor();
    await change.click();
    await expect
      .poll(
        async () => (await prisma.tracking.findUniqueOrThrow({ where: { id: target.id } })).carrierCode,
        POLL,
      )
      .toBe("dhl-germany");
    // The page's subtitle names the new carrier.
    await page.locator(".Polaris-Page").getByText("Deutsche Post DHL").first().waitFor();
    await expect
      .poll(
        async () =>
          (await trackingMoreClientForKey(apiKey).getTracking("dhl-germany", target.trackingNumber)).id,
        POLL,
      )
      .toBeTruthy();
  });

  it("changes the carrier of selected parcels from the bulk modal", async () => {
    const target = seeded[1];
    await openAdminPage(page, app, shop, `/app/trackings?sort=trackingNumber&dir=asc&locale=en`);
    const rows = page.locator(".Polaris-IndexTable__TableRow");
    await expect.poll(() => rows.count(), POLL).toBe(3);
    await rows
      .filter({ hasText: target.trackingNumber })
      .locator('input[type="checkbox"]')
      .check({ force: true });
    await page.getByRole("button", { name: "More actions" }).first().click();
    await page.getByRole("button", { name: "Change carrier" }).last().click();
    const dialog = page.getByRole("dialog");
    const option = await search(
      dialog.getByRole("combobox", { name: "New carrier", exact: true }),
      "hermes",
      /Hermes Germany/,
    );
    await option.click();
    await dialog.getByRole("button", { name: "Change carrier" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect
      .poll(
        async () => (await prisma.tracking.findUniqueOrThrow({ where: { id: target.id } })).carrierCode,
        POLL,
      )
      .toBe("hermes-de");
    await rows.filter({ hasText: target.trackingNumber }).getByText("Hermes Germany").waitFor();
  });

  it("settings show a mapping's carrier by name and save one picked by search", async () => {
    await page.setViewportSize({ width: 1440, height: 1000 });
    await openAdminPage(page, app, shop, `/app/settings?locale=en`);
    const field = page.getByRole("combobox", { name: "TrackingMore carrier", exact: true }).first();
    expect(await field.inputValue()).toBe("Austrian Post");
    const option = await search(field, "ups", /^UPS\s*ups$/);
    await option.click();
    await screenshot(page, "carrier-picker-settings-en-desktop");
    // Saved with the rest of the Settings form, from its save bar.
    await page
      .getByRole("region", { name: "Unsaved changes" })
      .getByRole("button", { name: "Save", exact: true })
      .click();
    await expect
      .poll(
        async () => (await prisma.carrierOverride.findFirstOrThrow({ where: { shop } })).carrierCode,
        POLL,
      )
      .toBe("ups");
  });
});
