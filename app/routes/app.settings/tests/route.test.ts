import { beforeEach, describe, expect, it } from "vitest";
import { appConfig } from "~/config.server";
import prisma from "~/db/client.server";
import { recordCustomerDataRequest } from "~/models/privacy.server";
import { readTrackingMoreAccountEmail, readTrackingMoreApiKey } from "~/models/settings.server";
import { accountId } from "~/trackingmore";
import { trackingMoreRateGate } from "~/trackingmore.server";
import { formBody, installShop, withAdminEmulator } from "../../../../test/support/admin-fixtures";
import { callRoute } from "../../../../test/support/routes";
import { embeddedFetchRequest } from "../../../../test/support/shopify";
import { action, loader } from "../route";

const shop = "settings-shop.myshopify.com";
const apiKey = "tm-settings-key-0001";

/** The Settings form's one save, with the sections the merchant changed. */
const save = (sections: Record<string, unknown>) =>
  callRoute(
    action,
    embeddedFetchRequest(
      "/app/settings",
      shop,
      formBody({ intent: "saveSettings", settings: JSON.stringify(sections) }),
    ),
  );
const behaviour = {
  createOnFulfillment: true,
  orderIdFormat: "name",
  titleTemplate: "",
  cancelledFulfillmentAction: "archive",
  trackingUrlInNotifications: false,
};

const tm = withAdminEmulator([{ apiKey, email: "settings@example.com", quota: 321 }]);
beforeEach(async () => {
  await prisma.shopSettings.deleteMany();
  await prisma.carrierOverride.deleteMany();
  await installShop(shop);
});

describe("/app/settings", () => {
  it("validates the API key with TrackingMore, stores it encrypted and never sends it back", async () => {
    const response = await save({ apiKey: ` ${apiKey} ` });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, intent: "saveSettings", remainingQuota: 321 });
    expect(await readTrackingMoreApiKey(shop)).toBe(apiKey);
    const stored = await prisma.shopSettings.findUniqueOrThrow({ where: { shop } });
    expect(stored.trackingMoreApiKeyCipher).not.toContain(apiKey);
    const page = await (await callRoute(loader, embeddedFetchRequest("/app/settings", shop))).text();
    expect(page).not.toContain(apiKey);
    expect(page).toContain(apiKey.slice(-4));
  });

  it("refuses a key TrackingMore rejects, and one it could not check, saving nothing", async () => {
    const rejected = await save({ apiKey: "tm-wrong-key-123456" });
    expect(rejected.status).toBe(422);
    expect(await rejected.json()).toEqual({ ok: false, fieldErrors: { apiKey: "rejected_api_key" } });
    tm.current().setFaults({ error503: 1 });
    const unreachable = await save({ apiKey });
    expect(await unreachable.json()).toEqual({
      ok: false,
      fieldErrors: { apiKey: "trackingmore_unreachable" },
    });
    expect(await readTrackingMoreApiKey(shop)).toBeNull();
  });

  it("saves the account email encrypted, and refuses a bad one", async () => {
    expect((await save({ accountEmail: "bad" })).status).toBe(422);
    expect((await save({ accountEmail: "me@shop.com" })).status).toBe(200);
    expect(await readTrackingMoreAccountEmail(shop)).toBe("me@shop.com");
  });

  it("saves the stalled threshold, refusing days outside 1–90 without changing anything", async () => {
    await save({ behaviour: { ...behaviour, stalledAfterDays: "12" } });
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shop } })).stalledAfterDays).toBe(12);
    const refused = await save({ behaviour: { ...behaviour, orderIdFormat: "id", stalledAfterDays: "0" } });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({
      ok: false,
      fieldErrors: { stalledAfterDays: "days_range" },
    });
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shop } })).toMatchObject({
      stalledAfterDays: 12,
      orderIdFormat: "name",
    });
  });

  it("saves behaviour options and the carrier mapping table", async () => {
    await save({
      behaviour: {
        createOnFulfillment: false,
        orderIdFormat: "id",
        titleTemplate: "Order {{order_name}}",
        cancelledFulfillmentAction: "delete",
        trackingUrlInNotifications: true,
      },
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
      behaviour: {
        createOnFulfillment: true,
        orderIdFormat: "id",
        titleTemplate: "Order {{order_name}}",
        cancelledFulfillmentAction: "delete",
        trackingUrlInNotifications: true,
      },
    });
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shop } })).trackingUrlSince).toEqual(
      saved.trackingUrlSince,
    );
    const refused = await save({
      overrides: [{ trackingCompany: "My  Courier", carrierCode: "BAD CODE" }],
    });
    expect(await refused.json()).toEqual({
      ok: false,
      fieldErrors: { "overrides.0.carrierCode": "unknown_carrier" },
    });
    await save({
      overrides: [{ trackingCompany: "My  Courier", carrierCode: "dhl" }],
    });
    const data = (await (await callRoute(loader, embeddedFetchRequest("/app/settings", shop))).json()) as {
      overrides: { trackingCompany: string; carrierCode: string; carrierName: string }[];
    };
    expect(data.overrides).toEqual([
      expect.objectContaining({ trackingCompany: "my courier", carrierCode: "dhl", carrierName: "DHL" }),
    ]);
    // The carrier picker shows the mapping's carrier by its name in the merchant's language.
    await save({ overrides: [{ trackingCompany: "My  Courier", carrierCode: "sf-express" }] });
    const zh = (await (
      await callRoute(loader, embeddedFetchRequest("/app/settings?locale=zh-CN", shop))
    ).json()) as typeof data;
    expect(zh.overrides[0]).toMatchObject({ carrierCode: "sf-express", carrierName: "顺丰速运" });
  });

  it("scopes a carrier mapping to the country parcels ship from, and refuses a bad country", async () => {
    const refused = await save({
      overrides: [{ trackingCompany: "DHL", country: "Germany", carrierCode: "dhl" }],
    });
    expect(await refused.json()).toEqual({
      ok: false,
      fieldErrors: { "overrides.0.country": "invalid_country" },
    });
    expect(await prisma.carrierOverride.count({ where: { shop } })).toBe(0);
    const saved = await save({
      overrides: [
        { trackingCompany: "DHL", country: "at", carrierCode: "austria-post" },
        { trackingCompany: "DHL", country: "", carrierCode: "dhl" },
      ],
    });
    expect(saved.status).toBe(200);
    const data = (await (await callRoute(loader, embeddedFetchRequest("/app/settings", shop))).json()) as {
      overrides: { trackingCompany: string; country: string; carrierCode: string }[];
    };
    expect(data.overrides.map((o) => [o.trackingCompany, o.country, o.carrierCode])).toEqual([
      ["dhl", "", "dhl"],
      ["dhl", "AT", "austria-post"],
    ]);
    const duplicate = await save({
      overrides: [
        { trackingCompany: "DHL", country: "AT", carrierCode: "austria-post" },
        { trackingCompany: "dhl", country: "at", carrierCode: "dhl" },
      ],
    });
    expect(await duplicate.json()).toEqual({
      ok: false,
      fieldErrors: { "overrides.1.trackingCompany": "duplicate" },
    });
  });

  it("shows which carrier each company name went to in the last 30 days and how many were found", async () => {
    await prisma.tracking.deleteMany({ where: { shop } });
    const day = 86_400_000;
    const row = (n: number, fields: Record<string, unknown>) => ({
      shop,
      orderId: `o${n}`,
      trackingNumber: `N${n}`,
      trackingCompany: "DHL",
      originCountry: "DE",
      carrierCode: "dhl",
      carrierSource: "shopify_table",
      syncState: "synced",
      ...fields,
    });
    await prisma.tracking.createMany({
      data: [
        row(1, { status: "notfound" }),
        row(2, { status: "notfound" }),
        row(3, { status: "pending" }),
        row(4, { carrierCode: "dhl-germany", status: "transit" }),
        row(5, { carrierCode: "dhl-germany", status: "delivered" }),
        row(6, { carrierCode: "dhl-germany", status: "notfound" }),
        // Older than 30 days, and another shop's: not counted.
        row(7, {
          carrierCode: "dhl-germany",
          status: "delivered",
          createdAt: new Date(Date.now() - 31 * day),
        }),
        { ...row(8, { status: "delivered" }), shop: "someone-else.myshopify.com" },
      ],
    });
    const data = (await (await callRoute(loader, embeddedFetchRequest("/app/settings", shop))).json()) as {
      mappingReport: {
        carrierCode: string;
        carrierName: string;
        trackings: number;
        found: number;
        notFound: number;
      }[];
    };
    expect(
      data.mappingReport.map((r) => [r.carrierCode, r.carrierName, r.trackings, r.found, r.notFound]),
    ).toEqual([
      ["dhl", "DHL", 3, 0, 2],
      ["dhl-germany", "Deutsche Post DHL", 3, 2, 1],
    ]);
  });

  it("saves changed sections in one go, and saves none of them when one field is wrong", async () => {
    const refused = await save({
      behaviour: { ...behaviour, orderIdFormat: "id" },
      writeBackEnabled: false,
      airCargoEnabled: true,
      overrides: [{ trackingCompany: "DHL", carrierCode: "dhl" }],
      accountEmail: "not-an-email",
      apiKey: "tm-wrong-key-123456",
    });
    expect(refused.status).toBe(422);
    // Every section's errors at once: the key was checked with TrackingMore too.
    expect(await refused.json()).toEqual({
      ok: false,
      fieldErrors: { accountEmail: "invalid_email", apiKey: "rejected_api_key" },
    });
    // Not one section saved (the shop had no settings row, and has none now).
    expect(await prisma.shopSettings.findUnique({ where: { shop } })).toBeNull();
    expect(await prisma.carrierOverride.count({ where: { shop } })).toBe(0);

    const saved = await save({
      behaviour: { ...behaviour, orderIdFormat: "id" },
      writeBackEnabled: false,
      airCargoEnabled: true,
      overrides: [{ trackingCompany: "DHL", carrierCode: "dhl" }],
      accountEmail: "me@shop.com",
      apiKey,
    });
    expect(saved.status).toBe(200);
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shop } })).toMatchObject({
      orderIdFormat: "id",
      writeBackEnabled: false,
      airCargoEnabled: true,
    });
    expect(await readTrackingMoreApiKey(shop)).toBe(apiKey);
    expect(await readTrackingMoreAccountEmail(shop)).toBe("me@shop.com");
    expect(await prisma.carrierOverride.count({ where: { shop } })).toBe(1);
    const page = (await (await callRoute(loader, embeddedFetchRequest("/app/settings", shop))).json()) as {
      settings: { writeBackEnabled: boolean };
      webhookUrl: string;
    };
    expect(page.settings.writeBackEnabled).toBe(false);
    expect(page.webhookUrl).toMatch(/\/webhooks\/trackingmore$/);
  });

  it("saves the form whole or not at all when the database refuses a write midway", async () => {
    // The last write (the carrier mapping) fails after the others ran: a trigger refuses it.
    const postgres = appConfig().databaseProvider === "postgresql";
    const refuse = postgres
      ? [
          `CREATE FUNCTION test_refuse_override() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`,
          `CREATE TRIGGER test_refuse_override BEFORE INSERT ON "CarrierOverride" FOR EACH ROW EXECUTE FUNCTION test_refuse_override()`,
        ]
      : [
          `CREATE TRIGGER test_refuse_override BEFORE INSERT ON "CarrierOverride" BEGIN SELECT RAISE(ABORT, 'refused'); END`,
        ];
    for (const sql of refuse) await prisma.$executeRawUnsafe(sql);
    try {
      // The action fails as a whole (Remix answers 500 with the error page).
      await expect(
        save({
          behaviour: { ...behaviour, orderIdFormat: "id" },
          writeBackEnabled: false,
          accountEmail: "me@shop.com",
          apiKey,
          overrides: [{ trackingCompany: "DHL", carrierCode: "dhl" }],
        }),
      ).rejects.toThrow();
    } finally {
      await prisma.$executeRawUnsafe(
        `DROP TRIGGER test_refuse_override${postgres ? ` ON "CarrierOverride"` : ""}`,
      );
      if (postgres) await prisma.$executeRawUnsafe(`DROP FUNCTION test_refuse_override`);
    }
    expect(await prisma.shopSettings.findUnique({ where: { shop } })).toBeNull();
    expect(await readTrackingMoreApiKey(shop)).toBeNull();
  });

  it("leaves the sections it was not sent as they are", async () => {
    await save({ overrides: [{ trackingCompany: "DHL", carrierCode: "dhl" }], writeBackEnabled: false });
    expect((await save({ airCargoEnabled: true })).status).toBe(200);
    expect(await prisma.carrierOverride.count({ where: { shop } })).toBe(1);
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shop } })).toMatchObject({
      writeBackEnabled: false,
      airCargoEnabled: true,
    });
  });

  // Last: the pause it sets outlives the test.
  it("answers at once that TrackingMore cannot check the key while its account is paused after a 429", async () => {
    const userInfoCalls = () => tm.current().stats().calls[apiKey]?.["GET /trackings/getuserinfo"] ?? 0;
    const before = userInfoCalls();
    await trackingMoreRateGate().pauseAccount(accountId(apiKey, tm.current().baseUrl), 5_000);
    const started = Date.now();
    const paused = await save({ apiKey });
    expect(await paused.json()).toEqual({ ok: false, fieldErrors: { apiKey: "trackingmore_unreachable" } });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(userInfoCalls()).toBe(before);
    expect(await readTrackingMoreApiKey(shop)).toBeNull();
  });
});

describe("/app/settings: customer data requests", () => {
  it("shows the shop's own data-request reports, newest first, with what we hold", async () => {
    await prisma.tracking.create({
      data: {
        shop,
        orderId: "70001",
        orderName: "#7001",
        trackingNumber: "DATAREQ0001",
        carrierCode: "ups",
        customerName: "Ada Lovelace",
        customerEmail: "ada@example.com",
        customerPhone: "+44 20 7946 0958",
        status: "transit",
      },
    });
    await recordCustomerDataRequest(shop, {
      customer: { id: 1, email: "ada@example.com" },
      dataRequestId: 91,
    });
    await recordCustomerDataRequest("someone-else.myshopify.com", {
      customer: { id: 2, email: "grace@example.com" },
      dataRequestId: 92,
    });

    const page = (await (await callRoute(loader, embeddedFetchRequest("/app/settings", shop))).json()) as {
      dataRequests: {
        customerEmail: string;
        parcels: { trackingNumber: string; customerName: string; status: string }[];
      }[];
    };
    expect(page.dataRequests).toEqual([
      expect.objectContaining({
        customerEmail: "ada@example.com",
        parcels: [
          expect.objectContaining({
            trackingNumber: "DATAREQ0001",
            customerName: "Ada Lovelace",
            status: "transit",
          }),
        ],
      }),
    ]);
  });
});
