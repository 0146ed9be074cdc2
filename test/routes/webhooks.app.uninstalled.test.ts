import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { action } from "~/routes/webhooks.app.uninstalled";
import { callRoute } from "../support/routes";
import { seedOfflineSession, webhookRequest } from "../support/shopify";

const shop = "uninstall-shop.myshopify.com";
const otherShop = "other-shop.myshopify.com";

const callAction = (request: Request) => callRoute(action, request);

describe("POST /webhooks/app/uninstalled", () => {
  it("removes the shop's sessions and marks it uninstalled when correctly signed", async () => {
    await seedOfflineSession(shop);
    await seedOfflineSession(otherShop);

    const response = await callAction(
      webhookRequest({ topic: "app/uninstalled", shop, body: { id: 1, domain: shop } }),
    );

    expect(response.status).toBe(200);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect(await prisma.session.count({ where: { shop: otherShop } })).toBe(1);
    const record = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(record.uninstalledAt).toBeInstanceOf(Date);
  });

  it("is safe to deliver twice, and after the session is gone", async () => {
    await seedOfflineSession(shop);
    const body = { id: 1, domain: shop };
    expect((await callAction(webhookRequest({ topic: "app/uninstalled", shop, body }))).status).toBe(200);
    expect((await callAction(webhookRequest({ topic: "app/uninstalled", shop, body }))).status).toBe(200);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
  });

  it("answers 401 to a wrongly signed delivery and changes nothing", async () => {
    await seedOfflineSession(shop);
    const response = await callAction(
      webhookRequest({ topic: "app/uninstalled", shop, body: { id: 1 }, apiSecret: "not-the-app-secret" }),
    );
    expect(response.status).toBe(401);
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toBeNull();
  });

  it("answers 400 to a correctly signed body that is not JSON, and changes nothing", async () => {
    await seedOfflineSession(shop);
    const response = await callAction(webhookRequest({ topic: "app/uninstalled", shop, body: "{not json" }));
    expect(response.status).toBe(400);
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
  });
});
