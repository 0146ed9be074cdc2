import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { updateShopSettings } from "~/models/settings.server";
import { publishProxyPaths } from "~/pipeline/tracking-url/proxy-path.server";
import { runTrackingUrlStep, type AdminFor } from "~/pipeline/tracking-url/tracking-url.server";
import { loader } from "~/routes/proxy/route";
import { unauthenticated } from "~/shopify.server";
import { callRoute } from "../support/routes";
import { deliver, drainPipeline, withPipelineEmulator } from "../support/pipeline";
import { fulfillmentPayload } from "../../devkit/shopify";
import { interceptAdminGraphql, type GraphqlCall } from "../support/shopify-api-mock";
import { proxyRequest } from "../storefront/proxy-request";

// The tracking page as the link of parcels Shopify cannot link itself: fulfillments arrive by
// signed webhooks through the real ingest; Shopify's Admin API is intercepted.

const pipeline = withPipelineEmulator("tracking-url");
const adminFor: AdminFor = async (shop) => (await unauthenticated.admin(shop)).admin;

beforeAll(() => {
  // The Shopify library keeps the fetch it found at import, before msw wrapped the global one.
  setAbstractFetchFunc((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
});

function answerUpdate(call: GraphqlCall) {
  const input = call.variables.trackingInfoInput as { numbers: string[]; urls: string[] };
  return {
    data: {
      fulfillmentTrackingInfoUpdate: {
        fulfillment: {
          id: call.variables.fulfillmentId,
          trackingInfo: input.numbers.map((number, i) => ({ number, url: input.urls[i] })),
        },
        userErrors: [],
      },
    },
  };
}

async function fulfil(shop: string, fixture: Parameters<typeof fulfillmentPayload>[0]) {
  const payload = fulfillmentPayload(fixture);
  expect((await deliver("fulfillments/create", shop, payload)).status).toBe(200);
  await drainPipeline();
  return payload;
}

async function state(shop: string, fulfillmentId: number) {
  return prisma.fulfillment.findUniqueOrThrow({
    where: { shop_fulfillmentId: { shop, fulfillmentId: String(fulfillmentId) } },
    select: { trackingUrlState: true, trackingUrlAttempts: true, trackingUrlError: true },
  });
}

describe("tracking page link in Shopify's notifications", () => {
  it("is off by default: nothing is sent", async () => {
    const shop = await pipeline.newShop();
    const calls = interceptAdminGraphql(answerUpdate);
    await fulfil(shop, { trackingCompany: "Other" });
    expect(await runTrackingUrlStep(adminFor)).toBe(0);
    expect(calls).toEqual([]);
  });

  it("sets the page on every number of an unknown company's fulfillment once, never for a known company or the past", async () => {
    const shop = await pipeline.newShop();
    const calls = interceptAdminGraphql(answerUpdate);
    const before = await fulfil(shop, { trackingCompany: "Other", orderName: "#1500" });
    await updateShopSettings(shop, { trackingUrlInNotifications: true });
    const other = await fulfil(shop, {
      trackingCompany: "Other",
      orderName: "#1501",
      trackingNumbers: ["YT100000001", "YT100000002"],
    });
    const ups = await fulfil(shop, { trackingCompany: "UPS", orderName: "#1502" });
    const none = await fulfil(shop, {
      trackingCompany: null,
      orderName: "#1503",
      trackingNumbers: ["LP000000000001"],
    });

    expect(await runTrackingUrlStep(adminFor)).toBe(3);
    expect(calls.map((c) => c.variables)).toEqual([
      {
        fulfillmentId: `gid://shopify/Fulfillment/${other.id}`,
        trackingInfoInput: {
          company: "Other",
          numbers: ["YT100000001", "YT100000002"],
          urls: [
            `https://${shop}/apps/trackbridge?order=%231501`,
            `https://${shop}/apps/trackbridge?order=%231501`,
          ],
        },
        notifyCustomer: true,
      },
      {
        fulfillmentId: `gid://shopify/Fulfillment/${none.id}`,
        trackingInfoInput: {
          numbers: ["LP000000000001"],
          urls: [`https://${shop}/apps/trackbridge?order=%231503`],
        },
        notifyCustomer: true,
      },
    ]);
    expect(calls.every((c) => c.shop === shop)).toBe(true);
    expect((await state(shop, other.id)).trackingUrlState).toBe("sent");
    expect((await state(shop, ups.id)).trackingUrlState).toBe("not_needed");
    expect((await state(shop, before.id)).trackingUrlState).toBeNull();

    // Later rounds, a repeated delivery and a restart send nothing again.
    expect((await deliver("fulfillments/create", shop, other)).status).toBe(200);
    await drainPipeline();
    expect(await runTrackingUrlStep(adminFor)).toBe(0);
    expect(calls).toHaveLength(2);
  });

  it("follows the page's public path Shopify's app proxy reports", async () => {
    const shop = await pipeline.newShop();
    const calls = interceptAdminGraphql(answerUpdate);
    await updateShopSettings(shop, { trackingUrlInNotifications: true });
    const page = await callRoute(
      loader,
      proxyRequest({ shop, extraParams: { path_prefix: "/tools/parcels", order: "#1601" } }),
    );
    expect(await page.text()).toContain('value="#1601"');
    await fulfil(shop, { trackingCompany: "Other", orderName: "#1601" });
    await runTrackingUrlStep(adminFor);
    const input = calls[0].variables.trackingInfoInput as { urls: string[] };
    expect(input.urls).toEqual([`https://${shop}/tools/parcels?order=%231601`]);
  });

  it("retries a failed call with back-off and sends it once, also with two workers at once", async () => {
    const shop = await pipeline.newShop();
    await updateShopSettings(shop, { trackingUrlInNotifications: true });
    let down = true;
    const calls = interceptAdminGraphql((call) =>
      down ? new Response("unavailable", { status: 503 }) : answerUpdate(call),
    );
    const parcel = await fulfil(shop, { trackingCompany: "Other" });
    const t0 = new Date();
    expect(await runTrackingUrlStep(adminFor, t0)).toBe(0);
    expect(await state(shop, parcel.id)).toMatchObject({ trackingUrlState: null, trackingUrlAttempts: 1 });
    const attemptsWhileDown = calls.length;

    // Not before its back-off.
    expect(await runTrackingUrlStep(adminFor, new Date(t0.getTime() + 1_000))).toBe(0);
    expect(calls).toHaveLength(attemptsWhileDown);

    down = false;
    const later = new Date(t0.getTime() + 3_600_000);
    const rounds = await Promise.all([
      runTrackingUrlStep(adminFor, later),
      runTrackingUrlStep(adminFor, later),
    ]);
    expect(rounds.sort()).toEqual([0, 1]);
    expect(calls).toHaveLength(attemptsWhileDown + 1);
    expect(await state(shop, parcel.id)).toMatchObject({ trackingUrlState: "sent", trackingUrlError: null });
  });

  it("records Shopify's refusal and does not retry it", async () => {
    const shop = await pipeline.newShop();
    await updateShopSettings(shop, { trackingUrlInNotifications: true });
    const calls = interceptAdminGraphql(() => ({
      data: {
        fulfillmentTrackingInfoUpdate: {
          fulfillment: null,
          userErrors: [{ field: ["fulfillmentId"], message: "Fulfillment does not exist." }],
        },
      },
    }));
    const parcel = await fulfil(shop, { trackingCompany: "Other" });
    expect(await runTrackingUrlStep(adminFor)).toBe(1);
    expect(await state(shop, parcel.id)).toMatchObject({
      trackingUrlState: "failed",
      trackingUrlError: "Shopify refused the link: Fulfillment does not exist.",
    });
    expect(await runTrackingUrlStep(adminFor, new Date(Date.now() + 86_400_000))).toBe(0);
    expect(calls).toHaveLength(1);
  });
});

describe("the theme block's proxy path (app-data metafield)", () => {
  function answerMetafields(call: GraphqlCall) {
    if (call.query.includes("currentAppInstallation"))
      return { data: { currentAppInstallation: { id: "gid://shopify/AppInstallation/77" } } };
    const [metafield] = call.variables.metafields as { namespace: string; key: string; value: string }[];
    return { data: { metafieldsSet: { metafields: [metafield], userErrors: [] } } };
  }

  // Shops of earlier tests with a renamed path are published first: each test counts its own.
  beforeEach(async () => {
    interceptAdminGraphql(answerMetafields);
    await publishProxyPaths(adminFor, new Date(Date.now() + 86_400_000));
  });

  const visit = (shop: string, pathPrefix: string) =>
    callRoute(loader, proxyRequest({ shop, extraParams: { path_prefix: pathPrefix } }));

  it("writes nothing while the page keeps Shopify's default path", async () => {
    const shop = await pipeline.newShop();
    await updateShopSettings(shop, {});
    const calls = interceptAdminGraphql(answerMetafields);
    await visit(shop, "/apps/trackbridge");
    expect(await publishProxyPaths(adminFor)).toBe(0);
    expect(calls.filter((c) => c.shop === shop)).toEqual([]);
  });

  it("publishes a renamed path once, and again when it changes back", async () => {
    const shop = await pipeline.newShop();
    await updateShopSettings(shop, {});
    const calls = interceptAdminGraphql(answerMetafields);
    await visit(shop, "/tools/parcels");
    await visit(shop, "/tools/parcels");
    expect(await publishProxyPaths(adminFor)).toBe(1);
    expect(await publishProxyPaths(adminFor)).toBe(0);
    const sets = () => calls.filter((c) => c.shop === shop && c.query.includes("metafieldsSet"));
    expect(sets().map((c) => c.variables.metafields)).toEqual([
      [
        {
          ownerId: "gid://shopify/AppInstallation/77",
          namespace: "trackbridge",
          key: "proxy_path",
          type: "single_line_text_field",
          value: "/tools/parcels",
        },
      ],
    ]);
    await visit(shop, "/apps/trackbridge");
    expect(await publishProxyPaths(adminFor)).toBe(1);
    expect(sets().map((c) => (c.variables.metafields as { value: string }[])[0].value)).toEqual([
      "/tools/parcels",
      "/apps/trackbridge",
    ]);
  });

  it("waits and retries when Shopify is down", async () => {
    const shop = await pipeline.newShop();
    await updateShopSettings(shop, {});
    let down = true;
    const calls = interceptAdminGraphql((call) =>
      down ? new Response("unavailable", { status: 503 }) : answerMetafields(call),
    );
    await visit(shop, "/tools/track");
    const t0 = new Date();
    expect(await publishProxyPaths(adminFor, t0)).toBe(0);
    const whileDown = calls.length;
    expect(await publishProxyPaths(adminFor, new Date(t0.getTime() + 1_000))).toBe(0);
    expect(calls).toHaveLength(whileDown);
    down = false;
    expect(await publishProxyPaths(adminFor, new Date(t0.getTime() + 120_000))).toBe(1);
    const settings = await prisma.shopSettings.findUniqueOrThrow({ where: { shop } });
    expect(settings).toMatchObject({ proxyPathPrefix: "/tools/track", proxyPathPublished: "/tools/track" });
  });
});
