import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { TEST_APP_URL } from "../support/env";
import { embeddedFetchRequest, seedOfflineSession } from "../support/shopify";
import { proxyRequest } from "../storefront/proxy-request";

// The production build answers where Shopify sends the requests: the app proxy at /proxy (and
// /proxy/, where the page's form posts back), and the order block's fetch with its preflight.
const root = path.resolve(__dirname, "../..");
const shop = "routing-shop.myshopify.com";
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  const buildFile = path.join(root, "build/index.js");
  if (!existsSync(buildFile)) throw new Error("run `npm run build` before the tests");
  const build = createRequire(__filename)(buildFile) as ServerBuild;
  const handler = createRequestHandler(build, "production");
  handle = (request) => handler(request);
  await seedOfflineSession(shop);
  await prisma.tracking.create({
    data: {
      shop,
      orderId: "910001",
      orderName: "#2001",
      trackingNumber: "ROUTED000001",
      carrierCode: "dhl",
      customerEmail: "grace@example.com",
      status: "delivered",
      carrierStatus: "delivered",
      syncState: "synced",
    },
  });
});

function atPath(request: Request, pathname: string): Request {
  const url = new URL(request.url);
  url.pathname = pathname;
  return new Request(url, request);
}

describe("storefront and order-block routes in the build", () => {
  it("serves the tracking page at /proxy and the lookup at /proxy/", async () => {
    const page = await handle(proxyRequest({ shop }));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("application/liquid");
    expect(await page.text()).toContain("Track your order");

    const posted = atPath(
      proxyRequest({ shop, form: { order: "2001", email: "GRACE@example.com" }, ip: "192.0.2.77" }),
      "/proxy/",
    );
    const result = await handle(posted);
    expect(result.status).toBe(200);
    const body = await result.text();
    expect(body).toContain("ROUTED000001");
    expect(body).toContain("Delivered");
  });

  it("answers 400 at /proxy to an unsigned request", async () => {
    const response = await handle(new Request(`${TEST_APP_URL}/proxy?shop=${shop}&timestamp=1`));
    expect(response.status).toBe(400);
  });

  it("serves the order block's data and its CORS preflight", async () => {
    const response = await handle(
      embeddedFetchRequest("/api/orders/910001/trackings", shop, {
        headers: { origin: "https://extensions.shopifycdn.com" },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const body = (await response.json()) as { trackings: { trackingNumber: string; carrierName: string }[] };
    expect(body.trackings).toEqual([
      expect.objectContaining({ trackingNumber: "ROUTED000001", carrierName: "DHL" }),
    ]);

    const preflight = await handle(
      new Request(`${TEST_APP_URL}/api/orders/910001/trackings`, {
        method: "OPTIONS",
        headers: { origin: "https://extensions.shopifycdn.com", "access-control-request-method": "GET" },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
  });
});
