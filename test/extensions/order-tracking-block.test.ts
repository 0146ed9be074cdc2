// @vitest-environment happy-dom
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { OrderTrackingSummary } from "~/models/order-trackings.server";
import { extensionsDir, readJson } from "./helpers";

// The admin order page's block rendered as the admin runs it: its module's default export is
// called with a `shopify` global (the order, the locale file Shopify picked) and `fetch` answers
// for the app's /api route.

const block = path.join(extensionsDir, "order-tracking-block");
const localeFiles = { en: "en.default.json", "zh-CN": "zh-CN.json" } as const;

function shopifyGlobal(locale: keyof typeof localeFiles, orderGid = "gid://shopify/Order/1001") {
  const messages = readJson<Record<string, string>>(path.join(block, "locales", localeFiles[locale]));
  return {
    // Shopify's admin picks the locale file; the mock does the same from `locale`.
    i18n: { locale, translate: (key: string) => messages[key] ?? key },
    data: { selected: [{ id: orderGid }] },
  };
}

const TRACKINGS: OrderTrackingSummary[] = [
  {
    id: "trk_1",
    trackingNumber: "1Z999AA10123456784",
    carrierCode: "ups",
    carrierName: "UPS",
    status: "transit",
    statusLabel: "In transit",
    syncState: "synced",
    syncStateLabel: "Up to date",
    lastEvent: "Departed facility, Louisville KY",
    lastEventAt: "2026-11-30T10:00:00.000Z",
    appPath: "/app/trackings/trk_1",
    estimate: {
      state: "expected",
      earliest: "2026-12-03",
      latest: "2026-12-05",
      confidence: 80,
      source: "blended",
      shopDeliveries: 12,
      carrierDeliveries: 400,
    },
    estimateLabel: "Dec 3 – Dec 5 (80% likely)",
  },
  {
    id: "trk_2",
    trackingNumber: "LX123456789CN",
    carrierCode: "china-post",
    carrierName: "China Post",
    status: "exception",
    statusLabel: "Exception",
    syncState: "needs_attention",
    syncStateLabel: "Needs attention",
    lastEvent: null,
    lastEventAt: null,
    appPath: "/app/trackings/trk_2",
    estimate: null,
    estimateLabel: null,
  },
];

let requested: string[];

async function renderBlock(
  locale: keyof typeof localeFiles,
  answer: () => Promise<Response>,
  orderGid?: string,
): Promise<HTMLElement> {
  requested = [];
  vi.stubGlobal("shopify", shopifyGlobal(locale, orderGid));
  vi.stubGlobal("fetch", (url: string) => {
    requested.push(url);
    return answer();
  });
  vi.resetModules();
  // A computed path: the root type-check leaves the extension to its own tsconfig (build.test.ts).
  const module = (await import(/* @vite-ignore */ path.join(block, "src/BlockExtension.tsx"))) as {
    default: () => Promise<void>;
  };
  await module.default();
  return document.body;
}

const settle = () => vi.waitFor(() => expect(document.body.querySelector("s-spinner")).toBeNull());

beforeEach(() => {
  document.body.innerHTML = "";
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("order page block", () => {
  it("shows a spinner while the parcels load", async () => {
    const body = await renderBlock("en", () => new Promise<Response>(() => {}));
    expect(body.querySelector("s-admin-block")?.getAttribute("heading")).toBe("Tracking (TrackBridge)");
    expect(body.querySelector("s-spinner")?.getAttribute("accessibilityLabel")).toBe("Loading parcels…");
    await vi.waitFor(() => expect(requested).toEqual(["/api/orders/1001/trackings?locale=en"]));
    expect(body.querySelector("s-spinner")).not.toBeNull();
  });

  it("lists each parcel with its status, sync state, last event and a link into the app", async () => {
    const body = await renderBlock("en", async () =>
      Response.json({ orderId: "1001", trackings: TRACKINGS }),
    );
    await settle();
    const text = body.textContent ?? "";
    expect(text).toContain("1Z999AA10123456784");
    expect(text).toContain("UPS");
    expect(text).toContain("Departed facility, Louisville KY");
    const badges = [...body.querySelectorAll("s-badge")].map((b) => [b.textContent, b.getAttribute("tone")]);
    expect(badges).toEqual([
      ["In transit", "info"],
      ["Up to date", "success"],
      ["Dec 3 – Dec 5 (80% likely)", "info"],
      ["Exception", "critical"],
      ["Needs attention", "critical"],
    ]);
    const links = [...body.querySelectorAll("s-link")].map((a) => [a.getAttribute("href"), a.textContent]);
    expect(links).toEqual([
      ["app:/app/trackings/trk_1", "Open in TrackBridge"],
      ["app:/app/trackings/trk_2", "Open in TrackBridge"],
    ]);
  });

  it("says so when the order has no parcels", async () => {
    const body = await renderBlock("en", async () => Response.json({ orderId: "1001", trackings: [] }));
    await settle();
    expect(body.textContent).toContain("No parcels for this order yet.");
    expect(body.querySelector("s-badge")).toBeNull();
  });

  it("shows an error banner when the app does not answer", async () => {
    const body = await renderBlock("en", async () => new Response("down", { status: 503 }));
    await settle();
    const banner = body.querySelector("s-banner");
    expect(banner?.getAttribute("tone")).toBe("critical");
    expect(banner?.textContent).toBe("Could not load the parcels. Reload the page to try again.");
  });

  it("asks nothing for an order id it cannot read", async () => {
    const body = await renderBlock("en", async () => Response.json({}), "gid://shopify/Order/");
    await settle();
    expect(requested).toEqual([]);
    expect(body.textContent).toContain("No parcels for this order yet.");
  });

  it("speaks Simplified Chinese, and asks the app for Chinese status words, when Shopify picks zh-CN", async () => {
    const chinese = TRACKINGS.map((t, i) => ({ ...t, statusLabel: ["运输途中", "异常"][i] }));
    const body = await renderBlock("zh-CN", async () =>
      Response.json({ orderId: "1001", trackings: chinese }),
    );
    await settle();
    expect(requested).toEqual(["/api/orders/1001/trackings?locale=zh-CN"]);
    expect(body.querySelector("s-admin-block")?.getAttribute("heading")).toBe("物流跟踪（TrackBridge）");
    expect(body.textContent).toContain("运输途中");
    expect([...body.querySelectorAll("s-link")].map((a) => a.textContent)).toEqual([
      "在 TrackBridge 中打开",
      "在 TrackBridge 中打开",
    ]);
  });
});
