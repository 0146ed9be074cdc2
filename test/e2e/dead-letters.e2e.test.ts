import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import type { EmulatorHandle } from "../../devkit/emulator";
import { installShop, seedLocalTracking, startAdminEmulator } from "../support/admin-fixtures";
import {
  embeddedContext,
  openAdminPage,
  screenshotWidths,
  startAppAndBrowser,
  type RunningApp,
  stopBrowserTest,
} from "./support";

// What the pipeline gave up on, as the merchant meets it: the dashboard's "Needs your attention"
// card with each item's reason, the banner, and Retry, in English and Simplified Chinese.

const shop = "e2e-dead-letters.myshopify.com";
const apiKey = "tm-e2e-dead-letters-1";
let emulator: EmulatorHandle;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let refusedId: string;
const SEEDED_REFUSAL =
  "TrackingMore refused this tracking (4013): the tracking number is not valid for this carrier";
const SEEDED_UNREADABLE = "Shopify's payload cannot be read: tracking_numbers: expected an array (seeded)";

beforeAll(async () => {
  emulator = await startAdminEmulator([{ apiKey, email: "dead@example.com", quota: 500 }]);
  await installShop(shop, apiKey);
  const refused = await seedLocalTracking(shop, { syncState: "pending", trackingNumber: "1ZREFUSED0000001" });
  refusedId = refused.id;
  await prisma.tracking.update({
    where: { id: refusedId },
    data: {
      deadAt: new Date(),
      attempts: 1,
      lastError:
        "TrackingMore refused this tracking (4013): the tracking number is not valid for this carrier",
    },
  });
  await prisma.webhookDelivery.create({
    data: {
      webhookId: "e2e-dead-delivery",
      shop,
      topic: "fulfillments/create",
      payload: '{"id": 1, "tracking_numbers": "not a list"}',
      deadAt: new Date(),
      lastError: SEEDED_UNREADABLE,
    },
  });
  ({ app, browser } = await startAppAndBrowser(emulator.baseUrl));
  context = await embeddedContext(browser, app, shop);
  page = await context.newPage();
}, 120_000);

afterAll(() => stopBrowserTest({ context, browser, app, emulator }));

describe("dead letters in the admin", () => {
  it("lists each item the pipeline gave up on with its reason in words, in English and Chinese", async () => {
    await openAdminPage(page, app, shop, "/app", "zh-CN");
    await page.getByText("需要您处理（2）").waitFor();
    // Each reason in words with what to do, not the stored text.
    await page.getByText("Shopify 发来的通知 TrackBridge 无法读取").waitFor();
    expect(await page.getByText("expected an array").count()).toBe(0);
    await screenshotWidths(page, "dead-letters-zh-CN");

    await openAdminPage(page, app, shop, "/app", "en");
    await page.getByText("Needs your attention (2)").waitFor();
    await page.getByText("Tracking not created: 1ZREFUSED0000001").waitFor();
    await page.getByText(/tracking number is not valid for the chosen carrier/).waitFor();
    await page.getByText("Shopify sent a notice TrackBridge could not read").waitFor();
    expect(await page.content()).not.toMatch(/expected an array|\(4013\)/);
    await screenshotWidths(page, "dead-letters-en");
  });

  it("sends them back to their queues with Retry all", async () => {
    await openAdminPage(page, app, shop, "/app", "en");
    await page.getByRole("button", { name: "Retry all" }).click();
    // Back in their queues: the jobs take them again at once (the unreadable delivery is
    // dead-lettered again with a fresh reason; the tracking goes to TrackingMore again).
    await expect
      .poll(async () => (await prisma.tracking.findUniqueOrThrow({ where: { id: refusedId } })).lastError, {
        timeout: 8_000,
      })
      .not.toBe(SEEDED_REFUSAL);
    await expect
      .poll(
        async () =>
          (await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: "e2e-dead-delivery" } }))
            .lastError,
        { timeout: 8_000 },
      )
      .not.toBe(SEEDED_UNREADABLE);
  });
});
