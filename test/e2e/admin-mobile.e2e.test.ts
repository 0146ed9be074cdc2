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
  screenshot,
  screenshotWidths,
  startAppAndBrowser,
  type RunningApp,
  stopBrowserTest,
} from "./support";

// The admin on a phone (390 px wide, an iPhone 14): the trackings list as compact cards with
// each parcel's status in sight, selection and bulk actions by touch, and no page wider than
// the screen.

const shop = "e2e-mobile.myshopify.com";
const apiKey = "tm-e2e-mobile-01";
const PHONE = { width: 390, height: 844 };
let emulator: EmulatorHandle;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let detailId: string;
const POLL = { timeout: 8_000, interval: 100 };
const problems: string[] = [];

beforeAll(async () => {
  emulator = await startAdminEmulator([{ apiKey, email: "mobile@example.com", quota: 5000 }]);
  await installShop(shop, apiKey);
  // Rows TrackingMore has not taken yet, so the status poller leaves the status set here alone.
  const transit = await seedLocalTracking(shop, { status: "transit", syncState: "needs_attention" });
  detailId = transit.id;
  await prisma.tracking.update({
    where: { id: transit.id },
    data: {
      customerName: "Ada Lovelace",
      orderName: "#1001",
      lastEvent: "Departed facility,Chicago,2026-11-29 08:00:00",
      lastEventAt: new Date(),
    },
  });
  await seedSyncedTracking(shop, apiKey, { customerName: "Grace Hopper", status: "exception" });
  await seedLocalTracking(shop, { status: "delivered", syncState: "needs_attention" });
  await seedLocalTracking(shop, { status: "pickup", syncState: "synced" });
  ({ app, browser } = await startAppAndBrowser(emulator.baseUrl));
  context = await embeddedContext(browser, app, shop);
  page = await context.newPage();
  page.setDefaultTimeout(8_000);
  // A hydration mismatch (the server renders the desktop table, the phone the cards) shows here.
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  await page.setViewportSize(PHONE);
}, 60_000);

afterAll(() => stopBrowserTest({ context, browser, app, emulator }));

const rows = () => page.locator(".Polaris-IndexTable__TableRow");

/** How far the page body reaches past the right edge of the screen (0: it fits). */
const horizontalOverflow = () =>
  page.evaluate(() => document.scrollingElement!.scrollWidth - document.documentElement.clientWidth);

/** Whether an element is drawn wholly inside the phone's width. */
async function insideScreen(locator: ReturnType<Page["locator"]>) {
  const box = await locator.boundingBox();
  return Boolean(box && box.width > 0 && box.x >= 0 && box.x + box.width <= PHONE.width);
}

/** Every row of the list shows its status in words, tracking number, carrier and customer on screen. */
async function expectReadableRows(statusWords: string[], carrier: string, daysInTransit: RegExp) {
  const count = await rows().count();
  expect(count).toBe(4);
  const shown: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const row = rows().nth(index);
    const badge = row.locator(".Polaris-Badge").first();
    expect(await insideScreen(badge)).toBe(true);
    // The words, without the tone Polaris adds for screen readers ("Critical", "Success").
    shown.push(
      await badge.evaluate((element) =>
        [...element.children]
          .filter((child) => !child.className.includes("visuallyHidden"))
          .map((child) => child.textContent)
          .join(""),
      ),
    );
    const number = row.locator("[data-primary-link]");
    expect(await insideScreen(number)).toBe(true);
    expect(await insideScreen(row.getByText(carrier, { exact: false }).first())).toBe(true);
    // How long it has been on its way, as the desktop table's column says.
    expect(await insideScreen(row.getByText(daysInTransit))).toBe(true);
  }
  expect(shown.sort()).toEqual([...statusWords].sort());
  expect(await insideScreen(page.getByText("Ada Lovelace", { exact: false }).first())).toBe(true);
  expect(await insideScreen(page.getByText("#1001", { exact: false }).first())).toBe(true);
}

describe("the admin on a phone", { timeout: 90_000 }, () => {
  it("shows the trackings as compact cards with the status of each in sight, in English and Chinese", async () => {
    await page.setViewportSize(PHONE);
    await openAdminPage(page, app, shop, "/app/trackings", "en");
    await expect.poll(() => rows().count(), POLL).toBe(4);
    await screenshotWidths(page, "trackings-phone-en");
    await expectReadableRows(
      ["In transit", "Exception", "Delivered", "Out for delivery"],
      "USPS",
      /^0 days in transit$/,
    );
    expect(await horizontalOverflow()).toBeLessThanOrEqual(0);
    // The tabs stay on screen and work by touch.
    const exceptions = page.getByRole("tab", { name: "Exceptions" });
    expect(await insideScreen(exceptions)).toBe(true);
    await exceptions.click();
    await page.waitForURL(/view=exceptions/);
    await expect.poll(() => rows().count(), POLL).toBe(1);
    expect(await rows().first().innerText()).toContain("Grace Hopper");
    // So do search and filters.
    await openAdminPage(page, app, shop, "/app/trackings", "en");
    await page.getByRole("button", { name: /Search and filter/ }).click();
    const search = page.getByPlaceholder("Search tracking number, order, customer name or email");
    expect(await insideScreen(search)).toBe(true);
    await search.fill("Lovelace");
    await page.waitForURL(/q=Lovelace/);
    await expect.poll(() => rows().count(), POLL).toBe(1);
    const addFilter = page.getByRole("button", { name: /Add filter/ });
    expect(await insideScreen(addFilter)).toBe(true);
    expect(await horizontalOverflow()).toBeLessThanOrEqual(0);
    await screenshotWidths(page, "trackings-phone-search-en");

    await openAdminPage(page, app, shop, "/app/trackings", "zh-CN");
    await expect.poll(() => rows().count(), POLL).toBe(4);
    await screenshotWidths(page, "trackings-phone-zh-CN");
    await expectReadableRows(["运输途中", "异常", "已签收", "派送中"], "美国邮政", /^在途 0 天$/);
    expect(await horizontalOverflow()).toBeLessThanOrEqual(0);
    await page.setViewportSize(PHONE);
  });

  it("selects rows and runs a bulk action by touch", async () => {
    await openAdminPage(page, app, shop, "/app/trackings", "en");
    await expect.poll(() => rows().count(), POLL).toBe(4);
    const row = rows().filter({ hasText: "Grace Hopper" });
    await row.getByRole("checkbox").check();
    // Ticking a card selects it; it does not open the parcel.
    expect(new URL(page.url()).pathname).toBe("/app/trackings");
    await page.getByText("1 selected").waitFor();
    await page.getByRole("button", { name: "Actions", exact: true }).click();
    await page.getByRole("menuitem", { name: "Mark as delivered" }).waitFor();
    await screenshot(page, "trackings-phone-actions-en");
    await page.getByRole("menuitem", { name: "Archive", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Archive" }).click();
    await expect
      .poll(
        async () =>
          (await prisma.tracking.findFirstOrThrow({ where: { shop, customerName: "Grace Hopper" } }))
            .archived,
        POLL,
      )
      .toBe(true);
    expect(await horizontalOverflow()).toBeLessThanOrEqual(0);

    // Select all, then clear: the page's rows, and none.
    await page.getByRole("checkbox", { name: /Select all/ }).check();
    await page.getByText(/^\d+ selected$/).waitFor();
    const selected = Number(/(\d+)/.exec(await page.getByText(/^\d+ selected$/).innerText())?.[1]);
    expect(selected).toBe(await rows().count());
    await page.getByRole("checkbox", { name: /Select all/ }).uncheck();
    expect(await page.getByText(/^\d+ selected$/).count()).toBe(0);

    // A tap on a card's number still opens the parcel.
    await rows().filter({ hasText: "Ada Lovelace" }).locator("[data-primary-link]").click();
    await page.waitForURL(new RegExp(`/app/trackings/${detailId}`));
  });

  it("fits the dashboard, a parcel, settings and analytics on the screen, in English and Chinese", async () => {
    for (const locale of ["en", "zh-CN"]) {
      for (const [name, pathname] of [
        ["dashboard", "/app"],
        ["detail", `/app/trackings/${detailId}`],
        ["settings", "/app/settings"],
        ["analytics", "/app/analytics"],
      ]) {
        await page.setViewportSize(PHONE);
        await openAdminPage(page, app, shop, pathname, locale);
        expect({ page: name, locale, overflow: await horizontalOverflow() }).toEqual({
          page: name,
          locale,
          overflow: 0,
        });
        if (name === "detail") expect(await insideScreen(page.locator(".Polaris-Badge").first())).toBe(true);
        await screenshotWidths(page, `${name}-phone-${locale}`);
      }
    }
    await page.setViewportSize(PHONE);
    expect(problems).toEqual([]);
  });
});
