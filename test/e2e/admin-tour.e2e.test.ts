import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import en from "~/i18n/locales/en.json";
import zhCN from "~/i18n/locales/zh-CN.json";
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

// Every admin page and every blocking state, as a merchant sees them in English and Simplified
// Chinese, on a desktop and on a 390 px phone: the screenshots (test/e2e/screenshots/tour-*) are
// what we look at before calling admin work done, and each visit asserts what must hold on any
// page — the page's title in the merchant's language, no console error, nothing wider than the
// phone, and the blocking state's banner where one applies.

const messages = { en, "zh-CN": zhCN } as const;
type Locale = keyof typeof messages;
type Key = keyof typeof en;

const healthy = { shop: "e2e-tour.myshopify.com", apiKey: "tm-e2e-tour-0001" };
const quotaUsedUp = { shop: "e2e-tour-quota.myshopify.com", apiKey: "tm-e2e-tour-0002" };
const noKey = "e2e-tour-nokey.myshopify.com";

let emulator: EmulatorHandle;
let app: RunningApp;
let browser: Browser;
let trackingId: string;

beforeAll(async () => {
  emulator = await startAdminEmulator([
    { apiKey: healthy.apiKey, email: "tour@example.com", quota: 4200 },
    { apiKey: quotaUsedUp.apiKey, email: "tour-quota@example.com", quota: 0 },
  ]);
  await installShop(healthy.shop, healthy.apiKey);
  await installShop(quotaUsedUp.shop, quotaUsedUp.apiKey);
  await installShop(noKey);
  const exception = await seedSyncedTracking(healthy.shop, healthy.apiKey, {
    customerName: "Grace Hopper",
    status: "exception",
  });
  trackingId = exception.id;
  await seedSyncedTracking(healthy.shop, healthy.apiKey, { customerName: "Ada Lovelace", status: "transit" });
  await seedSyncedTracking(healthy.shop, healthy.apiKey, { customerName: "王小明", status: "delivered" });
  await seedLocalTracking(healthy.shop, { status: "delivered", archived: true });
  const refused = await seedLocalTracking(healthy.shop, { trackingNumber: "1ZTOURREFUSED001" });
  await prisma.tracking.update({
    where: { id: refused.id },
    data: { deadAt: new Date(), attempts: 1, lastError: "TrackingMore refused this tracking (4013)" },
  });
  await seedLocalTracking(quotaUsedUp.shop, { syncState: "quota_paused" });
  await seedLocalTracking(noKey, { syncState: "waiting_api_key" });
  ({ app, browser } = await startAppAndBrowser(emulator.baseUrl));
}, 120_000);

afterAll(() => stopBrowserTest({ browser, app, emulator }));

/** Opens each page for the shop in the locale, checks it, and screenshots it as tour-<name>-<locale>. */
async function tour(
  shop: string,
  locale: Locale,
  pages: { name: string; path: string; title: Key; banner?: Key }[],
) {
  const context = await embeddedContext(browser, app, shop, { locale: locale === "en" ? "en-US" : "zh-CN" });
  const page: Page = await context.newPage();
  page.setDefaultTimeout(8_000);
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
  const words = messages[locale] as Record<Key, string>;
  try {
    for (const visit of pages) {
      problems.length = 0;
      await openAdminPage(page, app, shop, visit.path, locale);
      await page.getByRole("heading", { name: words[visit.title], exact: true }).first().waitFor();
      if (visit.banner) await page.getByText(words[visit.banner], { exact: true }).first().waitFor();
      // Whatever loads after the first render (the quota, the account check) has arrived.
      await page.waitForLoadState("networkidle");
      await screenshotWidths(page, `tour-${visit.name}-${locale}`);
      await page.setViewportSize({ width: 390, height: 900 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(overflow, `${visit.path} is wider than a 390 px phone`).toBeLessThanOrEqual(390);
      expect(problems, visit.path).toEqual([]);
      // No sentence is written around a figure that is not there ("9 in 10 within —").
      const noFigure = words["analytics.p90Note"].replace("{{days}}", "—");
      expect(await page.locator("body").innerText(), visit.path).not.toContain(noFigure);
    }
  } finally {
    await context.close();
  }
}

describe("a tour of the admin", { timeout: 90_000 }, () => {
  for (const locale of ["en", "zh-CN"] as const) {
    it(`shows every page of a working shop (${locale})`, async () => {
      await tour(healthy.shop, locale, [
        { name: "dashboard", path: "/app", title: "dashboard.title", banner: "blocking.dead_letters.body" },
        { name: "trackings", path: "/app/trackings", title: "trackings.title" },
        { name: "trackings-exceptions", path: "/app/trackings?view=exceptions", title: "trackings.title" },
        { name: "trackings-archived", path: "/app/trackings?view=archived", title: "trackings.title" },
        { name: "trackings-search", path: "/app/trackings?q=Hopper", title: "trackings.title" },
        { name: "detail", path: `/app/trackings/${trackingId}`, title: "detail.summary.title" },
        { name: "settings", path: "/app/settings", title: "settings.title" },
        { name: "analytics", path: "/app/analytics", title: "analytics.title" },
      ]);
    });

    it(`shows a shop without an API key its setup and what waits (${locale})`, async () => {
      await tour(noKey, locale, [
        { name: "no-key-dashboard", path: "/app", title: "setup.title" },
        {
          name: "no-key-trackings",
          path: "/app/trackings",
          title: "trackings.title",
          banner: "blocking.no_api_key.title",
        },
      ]);
    });

    it(`tells a shop whose quota is used up (${locale})`, async () => {
      await tour(quotaUsedUp.shop, locale, [
        {
          name: "quota-dashboard",
          path: "/app",
          title: "dashboard.title",
          banner: "blocking.quota_exhausted.title",
        },
        {
          name: "quota-trackings",
          path: "/app/trackings",
          title: "trackings.title",
          banner: "blocking.quota_exhausted.title",
        },
      ]);
    });

    it(`tells the merchant when TrackingMore does not answer (${locale})`, async () => {
      emulator.setFaults({ drop: 1 });
      try {
        await tour(healthy.shop, locale, [
          {
            name: "down-dashboard",
            path: "/app",
            title: "dashboard.title",
            banner: "blocking.trackingmore_unreachable.title",
          },
          {
            name: "down-trackings",
            path: "/app/trackings",
            title: "trackings.title",
            banner: "blocking.trackingmore_unreachable.title",
          },
        ]);
      } finally {
        emulator.setFaults({});
      }
    });
  }
});
