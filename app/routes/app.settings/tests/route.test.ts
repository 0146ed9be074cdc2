import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { readTrackingMoreAccountEmail, readTrackingMoreApiKey } from "~/models/settings.server";
import { formBody, installShop, withAdminEmulator } from "../../../../test/support/admin-fixtures";
import { callRoute } from "../../../../test/support/routes";
import { embeddedFetchRequest } from "../../../../test/support/shopify";
import { action, loader } from "../route";

const shop = "settings-shop.myshopify.com";
const apiKey = "tm-settings-key-0001";

const save = (values: Record<string, string>) =>
  callRoute(action, embeddedFetchRequest("/app/settings", shop, formBody(values)));

const tm = withAdminEmulator([{ apiKey, email: "settings@example.com", quota: 321 }]);
beforeEach(async () => {
  await prisma.shopSettings.deleteMany();
  await prisma.carrierOverride.deleteMany();
  await installShop(shop);
});

describe("/app/settings", () => {
  it("validates the API key with TrackingMore, stores it encrypted and never sends it back", async () => {
    const response = await save({ intent: "apiKey", apiKey: ` ${apiKey} ` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, intent: "apiKey", remainingQuota: 321 });
    expect(await readTrackingMoreApiKey(shop)).toBe(apiKey);
    const stored = await prisma.shopSettings.findUniqueOrThrow({ where: { shop } });
    expect(stored.trackingMoreApiKeyCipher).not.toContain(apiKey);
    const page = await (await callRoute(loader, embeddedFetchRequest("/app/settings", shop))).text();
    expect(page).not.toContain(apiKey);
    expect(page).toContain(apiKey.slice(-4));
  });

  it("refuses a key TrackingMore rejects, and one it could not check, saving nothing", async () => {
    const rejected = await save({ intent: "apiKey", apiKey: "tm-wrong-key-123456" });
    expect(rejected.status).toBe(422);
    expect(await rejected.json()).toEqual({ ok: false, fieldErrors: { apiKey: "rejected_api_key" } });
    tm.current().setFaults({ error503: 1 });
    const unreachable = await save({ intent: "apiKey", apiKey });
    expect(await unreachable.json()).toEqual({
      ok: false,
      fieldErrors: { apiKey: "trackingmore_unreachable" },
    });
    expect(await readTrackingMoreApiKey(shop)).toBeNull();
  });

  it("saves the account email encrypted, and refuses a bad one", async () => {
    expect((await save({ intent: "accountEmail", accountEmail: "bad" })).status).toBe(422);
    expect((await save({ intent: "accountEmail", accountEmail: "me@shop.com" })).status).toBe(200);
    expect(await readTrackingMoreAccountEmail(shop)).toBe("me@shop.com");
  });

  it("saves behaviour options and the carrier mapping table", async () => {
    await save({
      intent: "behaviour",
      createOnFulfillment: "false",
      orderIdFormat: "id",
      titleTemplate: "Order {{order_name}}",
      cancelledFulfillmentAction: "delete",
      trackingUrlInNotifications: "true",
    });
    const saved = await prisma.shopSettings.findUniqueOrThrow({ where: { shop } });
    expect(saved).toMatchObject({
      createOnFulfillment: false,
      orderIdFormat: "id",
      cancelledFulfillmentAction: "delete",
      trackingUrlInNotifications: true,
    });
    // The link applies from the moment it is turned on; saving again keeps that moment.
    expect(saved.trackingUrlSince).toBeInstanceOf(Date);
    await save({
      intent: "behaviour",
      createOnFulfillment: "true",
      orderIdFormat: "id",
      titleTemplate: "Order {{order_name}}",
      cancelledFulfillmentAction: "delete",
      trackingUrlInNotifications: "true",
    });
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shop } })).trackingUrlSince).toEqual(
      saved.trackingUrlSince,
    );
    const refused = await save({
      intent: "overrides",
      overrides: JSON.stringify([{ trackingCompany: "My  Courier", carrierCode: "BAD CODE" }]),
    });
    expect(await refused.json()).toEqual({
      ok: false,
      fieldErrors: { "overrides.0.carrierCode": "unknown_carrier" },
    });
    await save({
      intent: "overrides",
      overrides: JSON.stringify([{ trackingCompany: "My  Courier", carrierCode: "dhl" }]),
    });
    const data = (await (await callRoute(loader, embeddedFetchRequest("/app/settings", shop))).json()) as {
      overrides: { trackingCompany: string; carrierCode: string }[];
    };
    expect(data.overrides).toEqual([
      expect.objectContaining({ trackingCompany: "my courier", carrierCode: "dhl" }),
    ]);
  });
});
