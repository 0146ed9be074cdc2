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

// Risky actions ask first and say who else hears of them (Shopify, the customer); delete waits at
// the bottom of the page; TrackingMore's failures (503, 4032, no answer) read as sentences with
// what to do, never codes or API paths; empty views say what is true. English and Chinese.

const shop = "e2e-guardrails.myshopify.com";
const apiKey = "tm-e2e-guardrails-1";
let emulator: EmulatorHandle;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
// Pages name their locale: the admin keeps the last one for the session.
const POLL = { timeout: 15_000, interval: 100 };
/** What TrackingMore's answers look like in our logs; none of it may reach the browser. */
const RAW = [/\/trackings\/updatemore/, /\/carriers\/detect/, /failed with \d+/, /cannot be detected/];

let fulfilled: { id: string; trackingNumber: string };
let second: { id: string; trackingNumber: string };
let undetectable: { id: string };

beforeAll(async () => {
  emulator = await startAdminEmulator([{ apiKey, email: "guardrails@example.com", quota: 500 }]);
  await installShop(shop, apiKey);
  fulfilled = await seedSyncedTracking(shop, apiKey, { customerName: "Ada Lovelace" });
  await prisma.tracking.update({
    where: { id: fulfilled.id },
    data: { fulfillmentId: "gid://shopify/Fulfillment/9001" },
  });
  second = await seedSyncedTracking(shop, apiKey, { customerName: "Grace Hopper" });
  // No carrier: the dispatch asks TrackingMore's /carriers/detect, which answers 4032.
  const local = await seedLocalTracking(shop, { trackingNumber: "QQ-NOT-A-PARCEL-7" });
  await prisma.tracking.update({ where: { id: local.id }, data: { carrierCode: "" } });
  undetectable = local;
  ({ app, browser } = await startAppAndBrowser(emulator.baseUrl));
  context = await embeddedContext(browser, app, shop);
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
}, 60_000);

afterAll(() => stopBrowserTest({ context, browser, app, emulator }));

/** A header action of the detail page, inline or under "More actions" (narrow screens). */
async function headerAction(tab: Page, name: string) {
  const inline = tab.locator(".Polaris-Page-Header__RightAlign").getByRole("button", { name, exact: true });
  if ((await inline.count()) === 0) await tab.getByRole("button", { name: /More actions|更多操作/ }).click();
  await tab.getByRole("button", { name, exact: true }).first().click();
}

const dialog = () => page.getByRole("dialog");
const manualStatus = async (id: string) =>
  (await prisma.tracking.findUniqueOrThrow({ where: { id } })).manualStatus;
async function expectNoRawErrors(tab: Page) {
  // The whole document, loader data included: the stored text never reaches the browser.
  const html = await tab.content();
  for (const pattern of RAW) expect(html).not.toMatch(pattern);
}

describe("guardrails on risky actions", { timeout: 60_000 }, () => {
  it("asks before marking delivered, saying Shopify may email the customer", async () => {
    await openAdminPage(page, app, shop, `/app/trackings/${fulfilled.id}`, "en");
    await headerAction(page, "Mark as delivered");
    await dialog().getByText("Shopify may email the customer that their order was delivered").waitFor();
    await screenshotWidths(page, "guardrails-confirm-delivered-en");
    // Cancel changes nothing.
    await dialog().getByRole("button", { name: "Cancel" }).click();
    await dialog().waitFor({ state: "detached" });
    expect(await manualStatus(fulfilled.id)).toBeNull();

    await headerAction(page, "Mark as delivered");
    await dialog().getByRole("button", { name: "Mark as delivered" }).click();
    await expect.poll(() => manualStatus(fulfilled.id), POLL).toBe(4);
    // Shopify hears of it: the fulfillment's DELIVERED event is queued for the write-back.
    const events = await prisma.fulfillmentEventRecord.findMany({
      where: { shop, fulfillmentId: "gid://shopify/Fulfillment/9001" },
    });
    expect(events.map((e) => e.status)).toContain("DELIVERED");
  });

  it("says the status stays out of Shopify when write-back is off", async () => {
    await prisma.shopSettings.update({ where: { shop }, data: { writeBackEnabled: false } });
    try {
      await openAdminPage(page, app, shop, `/app/trackings/${second.id}`, "en");
      await headerAction(page, "Mark as exception");
      await dialog()
        .getByText(/marked as an exception in TrackBridge and TrackingMore only/)
        .waitFor();
      await dialog()
        .getByText(/Shopify is not told and the customer gets no email/)
        .waitFor();
      await screenshotWidths(page, "guardrails-confirm-exception-writeback-off-en");
      await dialog().getByRole("button", { name: "Cancel" }).click();
      expect(await manualStatus(second.id)).toBeNull();
    } finally {
      await prisma.shopSettings.update({ where: { shop }, data: { writeBackEnabled: true } });
    }
  });

  it("asks the same in the list's bulk action", async () => {
    await openAdminPage(page, app, shop, "/app/trackings", "en");
    const row = page.locator(".Polaris-IndexTable__TableRow", { hasText: second.trackingNumber });
    await row.locator("input[type=checkbox]").check({ force: true });
    await page.getByRole("button", { name: "Mark as delivered" }).first().click();
    await dialog()
      .getByText(/Shopify may email the customer/)
      .waitFor();
    await screenshotWidths(page, "guardrails-bulk-confirm-delivered-en");
    await dialog().getByRole("button", { name: "Cancel" }).click();
    expect(await manualStatus(second.id)).toBeNull();
  });

  it("keeps delete out of the header, at the bottom with its own confirmation", async () => {
    await openAdminPage(page, app, shop, `/app/trackings/${second.id}`, "en");
    expect(
      await page
        .locator(".Polaris-Page-Header__RightAlign")
        .getByRole("button", { name: /Delete/ })
        .count(),
    ).toBe(0);
    const more = page
      .locator(".Polaris-Page-Header__RightAlign")
      .getByRole("button", { name: "More actions" });
    if ((await more.count()) > 0) {
      await more.click();
      expect(await page.getByRole("button", { name: "Delete", exact: true }).count()).toBe(0);
      await page.keyboard.press("Escape");
    }
    await page.getByRole("heading", { name: "Delete this tracking" }).waitFor();
    await page.getByRole("button", { name: "Delete tracking" }).click();
    await dialog().getByText("This cannot be undone").waitFor();
    await screenshotWidths(page, "guardrails-delete-confirm-en");
    await dialog().getByRole("button", { name: "Cancel" }).click();
    await dialog().waitFor({ state: "detached" });
    await screenshotWidths(page, "guardrails-delete-section-en");

    await page.getByRole("button", { name: "Delete tracking" }).click();
    await dialog().getByRole("button", { name: "Delete", exact: true }).click();
    await page.waitForURL(/\/app\/trackings(\?|$)/);
    await expect
      .poll(
        async () => (await prisma.tracking.findUnique({ where: { id: second.id } }))?.syncState ?? "gone",
        POLL,
      )
      .toMatch(/pending_delete|deleted|gone/);
  });

  it("shows the confirmations in Simplified Chinese", async () => {
    const zh = await context.newPage();
    try {
      await openAdminPage(zh, app, shop, `/app/trackings/${undetectable.id}`, "zh-CN");
      await headerAction(zh, "标记为异常");
      await zh.getByRole("dialog").getByText("标记为异常？").waitFor();
      await screenshotWidths(zh, "guardrails-confirm-exception-zh-CN");
      await zh.getByRole("dialog").getByRole("button", { name: "取消" }).click();
      await zh.getByRole("button", { name: "删除跟踪" }).click();
      await zh.getByRole("dialog").getByText("此操作无法撤销").waitFor();
      await screenshotWidths(zh, "guardrails-delete-confirm-zh-CN");
    } finally {
      await zh.close();
    }
  });
});

describe("TrackingMore's errors in words", { timeout: 60_000 }, () => {
  it("says a 4032 from /carriers/detect as what to do: choose the carrier", async () => {
    await expect
      .poll(
        async () => (await prisma.tracking.findUniqueOrThrow({ where: { id: undetectable.id } })).lastError,
        POLL,
      )
      .toMatch(/4032/);
    await openAdminPage(page, app, shop, `/app/trackings/${undetectable.id}`, "en");
    await page
      .getByText("TrackingMore could not tell which carrier ships this number. Choose the carrier with Edit")
      .waitFor();
    await expectNoRawErrors(page);
    await screenshotWidths(page, "words-carrier-not-detected-en");
    await openAdminPage(page, app, shop, `/app/trackings/${undetectable.id}`, "zh-CN");
    await page.getByText("TrackingMore 无法识别此运单号的承运商").waitFor();
    await screenshotWidths(page, "words-carrier-not-detected-zh-CN");
  });

  it("says a 503 on /trackings/updatemore as a warning that the change waits, not a success", async () => {
    emulator.setFaults({ error503: 1, endpoints: ["POST /trackings/updatemore"] });
    try {
      await openAdminPage(page, app, shop, `/app/trackings/${fulfilled.id}`, "en");
      await page.getByRole("button", { name: "Edit", exact: true }).click();
      await page.getByLabel("Title", { exact: true }).fill("Boxed lamp");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      // role "alert" is Polaris's warning/critical banner; "status" would be success/info.
      await page
        .getByRole("alert")
        .filter({ hasText: "TrackingMore is not reachable right now" })
        .waitFor({ timeout: 20_000 });
      expect(await page.getByRole("status").filter({ hasText: "not reachable" }).count()).toBe(0);
      await screenshotWidths(page, "words-saved-unreachable-en");
      await expect
        .poll(
          async () => (await prisma.tracking.findUniqueOrThrow({ where: { id: fulfilled.id } })).lastError,
          POLL,
        )
        .toMatch(/503/);
      await openAdminPage(page, app, shop, `/app/trackings/${fulfilled.id}`, "en");
      await page.getByText(/What went wrong last: TrackingMore could not be reached/).waitFor();
      await expectNoRawErrors(page);
      await screenshotWidths(page, "words-updatemore-503-en");
      await openAdminPage(page, app, shop, `/app/trackings/${fulfilled.id}`, "zh-CN");
      await page.getByText(/最近出现的问题：无法连接 TrackingMore/).waitFor();
      await screenshotWidths(page, "words-updatemore-503-zh-CN");
    } finally {
      emulator.setFaults({});
    }
  });

  it("says an unreachable TrackingMore in a bulk result as a warning", async () => {
    const row = await seedSyncedTracking(shop, apiKey, { customerName: "Alan Turing" });
    emulator.setFaults({ drop: 1, endpoints: ["POST /trackings/updatemore"] });
    try {
      await openAdminPage(page, app, shop, "/app/trackings", "en");
      await page
        .locator(".Polaris-IndexTable__TableRow", { hasText: row.trackingNumber })
        .locator("input[type=checkbox]")
        .check({ force: true });
      await page.getByRole("button", { name: "Archive", exact: true }).first().click();
      await dialog().getByRole("button", { name: "Archive", exact: true }).click();
      await page
        .getByRole("alert")
        .filter({ hasText: "saved and waiting for TrackingMore" })
        .waitFor({ timeout: 20_000 });
      await expectNoRawErrors(page);
      await screenshotWidths(page, "words-bulk-unreachable-en");
    } finally {
      emulator.setFaults({});
    }
  });
});

describe("empty views say what is true", { timeout: 60_000 }, () => {
  it("says the archive is empty, and how trackings get there", async () => {
    await prisma.tracking.updateMany({ where: { shop }, data: { archived: false } });
    for (const locale of ["en", "zh-CN"] as const) {
      await openAdminPage(page, app, shop, "/app/trackings?view=archived", locale);
      const [heading, wrong] =
        locale === "en"
          ? ["The archive is empty", "fulfill an order"]
          : ["归档为空", "订单发货并填写运单号后"];
      await page.getByText(heading).waitFor();
      expect(await page.getByText(wrong).count()).toBe(0);
      await screenshotWidths(page, `words-empty-archive-${locale}`);
    }
  });

  it("says no tracking matches the filters, and clears them", async () => {
    await openAdminPage(page, app, shop, "/app/trackings?q=no-such-parcel-anywhere&status=expired", "en");
    await page.getByText("No trackings match these filters").waitFor();
    await screenshotWidths(page, "words-empty-filtered-en");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => new URL(page.url()).search, POLL).toBe("");
    await expect.poll(() => page.locator(".Polaris-IndexTable__TableRow").count(), POLL).toBeGreaterThan(0);
  });
});
