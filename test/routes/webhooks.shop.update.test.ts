import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { syncShopCountry } from "~/models/shop.server";
import { action } from "~/routes/webhooks.shop.update";
import { unauthenticated } from "~/shopify.server";
import { callRoute } from "../support/routes";
import { interceptAdminGraphql } from "../support/shopify-api-mock";
import { seedOfflineSession, webhookRequest } from "../support/shopify";

const shop = "country-shop.myshopify.com";
const country = async (domain = shop) =>
  (await prisma.shop.findUnique({ where: { domain } }))?.countryCode ?? null;

describe("the shop's country", () => {
  it("is read from the Admin API at install", async () => {
    await seedOfflineSession(shop);
    const calls = interceptAdminGraphql(() => ({ data: { shop: { shopAddress: { countryCodeV2: "DE" } } } }));
    const { admin } = await unauthenticated.admin(shop);
    expect(await syncShopCountry(shop, admin)).toBe("DE");
    expect(await country()).toBe("DE");
    expect(calls).toHaveLength(1);
    expect(calls[0].query).toContain("countryCodeV2");
  });

  it("follows shop/update, and a payload without a usable country changes nothing", async () => {
    await seedOfflineSession(shop);
    const update = (body: unknown) => callRoute(action, webhookRequest({ topic: "shop/update", shop, body }));
    expect((await update({ id: 1, country_code: "GB" })).status).toBe(200);
    expect(await country()).toBe("GB");
    expect((await update({ id: 1, country_code: "Great Britain" })).status).toBe(200);
    expect((await update({ id: 1 })).status).toBe(200);
    expect(await country()).toBe("GB");
  });

  it("answers 401 to a wrongly signed shop/update and changes nothing", async () => {
    const other = "unsigned-shop.myshopify.com";
    await seedOfflineSession(other);
    const response = await callRoute(
      action,
      webhookRequest({ topic: "shop/update", shop: other, body: { country_code: "FR" }, apiSecret: "wrong" }),
    );
    expect(response.status).toBe(401);
    expect(await country(other)).toBeNull();
  });
});
