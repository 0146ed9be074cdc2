import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { recordCustomerDataRequest } from "~/models/privacy.server";
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
    });
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shop } })).toMatchObject({
      createOnFulfillment: false,
      orderIdFormat: "id",
      cancelledFulfillmentAction: "delete",
    });
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
