import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "../../scripts/lib/app-server";
import { proxyRequest } from "../storefront/proxy-request";
import { installShop } from "../support/pipeline";
import { mintSessionToken } from "../support/shopify";
import { peakResidentDuring, residentBytes, startProductionServer, streamUpload } from "./server";

// Probes against the production server (scripts/serve.mjs on the build): every route that
// takes a body refuses an oversize one with 413 while it streams, before buffering it, so a
// 300 MiB attempt leaves the process's memory where it was. Needs `npm run build`.
const ATTEMPT_BYTES = 300 * 2 ** 20;
const MEMORY_HEADROOM_BYTES = 50 * 2 ** 20;
const shop = "oversize.myshopify.com";

// Fast lane (fulfillments, TrackingMore) and Express + Remix (everything else) paths. The
// admin actions carry a valid session token and the proxy a valid signature, so each route
// would read the body if nothing stopped it.
const WEBHOOKS = [
  "/webhooks/customers/redact",
  "/webhooks/customers/data_request",
  "/webhooks/shop/redact",
  "/webhooks/app/uninstalled",
  "/webhooks/app/scopes_update",
  "/webhooks/fulfillments/create",
  "/webhooks/fulfillments/update",
  "/webhooks/orders/fulfilled",
  "/webhooks/trackingmore",
];
const ADMIN_ACTIONS = ["/app/settings", "/app/trackings?index", "/app/trackings/1"];
/** GET-only: its body is never read, so a chunked one is refused as any POST there is. */
const ORDER_BLOCK_API = "/api/orders/1/trackings";

function probes(): { route: string; url: string; headers: Record<string, string> }[] {
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const proxy = new URL(proxyRequest({ shop, form: {} }).url);
  return [
    ...WEBHOOKS.map((route) => ({ route, url: route, headers: { "x-shopify-shop-domain": shop } })),
    { route: "/proxy/", url: `/proxy/${proxy.search}`, headers: form },
    ...ADMIN_ACTIONS.map((route) => ({
      route,
      url: route,
      headers: { ...form, authorization: `Bearer ${mintSessionToken(shop)}` },
    })),
    {
      route: ORDER_BLOCK_API,
      url: ORDER_BLOCK_API,
      headers: { authorization: `Bearer ${mintSessionToken(shop)}` },
    },
  ];
}

let server: AppServer;
let idle: number;

beforeAll(async () => {
  await installShop(shop);
  server = await startProductionServer();
  // Warm every route once (modules loaded, first allocations made) before measuring idle.
  for (const { url, headers } of probes())
    await fetch(`${server.url}${url}`, { method: "POST", headers, body: "{}" }).then((r) => r.arrayBuffer());
  await new Promise((resolve) => setTimeout(resolve, 300));
  idle = residentBytes(server.pid);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe("oversize bodies", () => {
  for (const declareLength of [true, false]) {
    const how = declareLength ? "declared with Content-Length" : "sent chunked";
    it(`refuses a 300 MiB unsigned body ${how} with 413 on every route, within 50 MB of idle memory`, async () => {
      const outcomes: Record<string, number> = {};
      const { peak } = await peakResidentDuring(server.pid, async () => {
        for (const { route, url, headers } of probes()) {
          const outcome = await streamUpload(`${server.url}${url}`, {
            totalBytes: ATTEMPT_BYTES,
            declareLength,
            headers,
          });
          outcomes[route] = outcome.status;
          // Refused while streaming: far less than the attempt was ever sent.
          expect(outcome.sent, route).toBeLessThan(64 * 2 ** 20);
        }
      });
      const expected = Object.fromEntries(probes().map(({ route }) => [route, 413]));
      if (!declareLength) expected[ORDER_BLOCK_API] = 405;
      expect(outcomes).toEqual(expected);
      expect(peak - idle).toBeLessThan(MEMORY_HEADROOM_BYTES);
      // The server is still there and answers the next request.
      expect(
        (await fetch(`${server.url}/webhooks/customers/redact`, { method: "POST", body: "{}" })).status,
      ).toBe(400);
    }, 120_000);
  }
});
