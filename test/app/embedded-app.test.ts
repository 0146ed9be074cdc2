import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { embeddedDocumentRequest, seedOfflineSession } from "../support/shopify";

// Renders the production build end to end: Remix routing, `authenticate.admin` with token
// exchange, the Polaris layout and the page.
const root = path.resolve(__dirname, "../..");
const shop = "render-shop.myshopify.com";
let handle: (request: Request) => Promise<Response>;

beforeAll(() => {
  const buildFile = path.join(root, "build/index.js");
  if (!existsSync(buildFile)) throw new Error("run `npm run build` before the tests");
  const build = createRequire(__filename)(buildFile) as ServerBuild;
  const handler = createRequestHandler(build, "production");
  handle = (request) => handler(request);
});

describe("the embedded admin", () => {
  it("renders the dashboard for an installed shop with a valid session token", async () => {
    await seedOfflineSession(shop);
    const response = await handle(embeddedDocumentRequest("/app", shop));
    expect(response.status).toBe(200);
    const html = await response.text();
    // A shop without a key: the blocking banner and the set-up guide.
    expect(html).toContain("Connect your TrackingMore account");
    expect(html).toContain("Set up TrackBridge");
    expect(html).toContain('<html lang="en"');
    expect(html).toContain("<ui-nav-menu");
    expect(html).toContain('href="/app/trackings"');
    expect(html).toContain("Polaris-Page");
    // App Bridge is told which app it is embedded for.
    expect(html).toMatch(/data-api-key="test-api-key-0123456789abcdef"/);
  });

  it("renders in Simplified Chinese when Shopify asks for zh-CN", async () => {
    await seedOfflineSession(shop);
    const response = await handle(embeddedDocumentRequest("/app?locale=zh-CN", shop));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("请连接您的 TrackingMore 账户");
    expect(html).toContain('<html lang="zh-CN"');
    // Kept for the session: the app's own navigations carry no `locale`.
    expect(response.headers.get("set-cookie")).toMatch(/^trackbridge_locale=/);
  });

  it("sends a request without a session token or shop to the login page", async () => {
    const response = await handle(
      new Request("https://trackbridge.test/app", { headers: { "user-agent": "Mozilla/5.0 Chrome/156.0" } }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/\/auth\/login/);
  });

  it("does not render the admin for a forged session token", async () => {
    await seedOfflineSession(shop);
    const forged = embeddedDocumentRequest("/app", shop, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.forged");
    const response = await handle(forged);
    expect(response.status).not.toBe(200);
    expect(await response.text()).not.toContain("Connect your TrackingMore account");
  });
});
