// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CustomerParcel } from "~/models/customer-order-trackings.server";
import { extensionsDir, readJson, root } from "./helpers";

// The customer account's order status block rendered as Shopify runs it: a `shopify` global
// with the order, the buyer's language, a session token and the locale file Shopify picked;
// `fetch` answers for the app's API.

const block = path.join(extensionsDir, "customer-order-status-block");
const localeFiles = { en: "en.default.json", "zh-CN": "zh-CN.json" } as const;

function shopifyGlobal(locale: keyof typeof localeFiles, orderGid: string) {
  const messages = readJson<Record<string, string>>(path.join(block, "locales", localeFiles[locale]));
  return {
    i18n: {
      translate: (key: string, values: Record<string, string> = {}) =>
        (messages[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_m, name: string) => values[name] ?? ""),
      formatDate: (date: Date) => date.toISOString().slice(0, 10),
    },
    order: { value: { id: orderGid, name: "#1001" } },
    localization: { language: { value: { isoCode: locale } } },
    sessionToken: { get: async () => "customer-session-token" },
  };
}

const PARCELS: CustomerParcel[] = [
  {
    trackingNumber: "YT2412345678901234",
    carrierName: "YunExpress",
    status: "transit",
    statusLabel: "In transit",
    lastEvent: "Arrived at destination country",
    lastEventAt: "2026-11-29T08:00:00.000Z",
    estimatedDeliveryAt: "2026-12-04T00:00:00.000Z",
  },
  {
    trackingNumber: "LX123456789CN",
    carrierName: "China Post",
    status: "exception",
    statusLabel: "Exception",
    lastEvent: null,
    lastEventAt: null,
    estimatedDeliveryAt: null,
  },
];

let requests: { url: string; authorization: string | null }[];

async function renderBlock(
  locale: keyof typeof localeFiles,
  answer: () => Promise<Response>,
  orderGid = "gid://shopify/Order/5905126375613",
) {
  requests = [];
  vi.stubGlobal("shopify", shopifyGlobal(locale, orderGid));
  vi.stubGlobal("fetch", (url: string, init?: RequestInit) => {
    requests.push({ url, authorization: new Headers(init?.headers).get("authorization") });
    return answer();
  });
  vi.resetModules();
  // A computed path: the root type-check leaves the extension to its own tsconfig (build.test.ts).
  const module = (await import(/* @vite-ignore */ path.join(block, "src/OrderStatusBlock.tsx"))) as {
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

describe("customer account order status block", () => {
  it("asks the app's URL (shopify.app.toml application_url) with its session token, spinner meanwhile", async () => {
    const app = parse(readFileSync(path.join(root, "shopify.app.toml"), "utf8")) as {
      application_url: string;
    };
    const body = await renderBlock("en", () => new Promise<Response>(() => {}));
    expect(body.querySelector("s-spinner")?.getAttribute("accessibilityLabel")).toBe("Loading tracking…");
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toEqual({
      url: `${app.application_url}/api/customer/orders/5905126375613/trackings?locale=en`,
      authorization: "Bearer customer-session-token",
    });
  });

  it("shows each parcel's status, latest update and estimated delivery", async () => {
    const body = await renderBlock("en", async () => Response.json({ parcels: PARCELS }));
    await settle();
    const text = body.textContent ?? "";
    expect(text).toContain("YunExpress");
    expect(text).toContain("YT2412345678901234");
    expect(text).toContain("Latest update: Arrived at destination country");
    expect(text).toContain("Estimated delivery: 2026-12-04");
    expect([...body.querySelectorAll("s-badge")].map((b) => [b.textContent, b.getAttribute("tone")])).toEqual(
      [
        ["In transit", "auto"],
        ["Exception", "critical"],
      ],
    );
    expect(text.match(/Estimated delivery/g)).toHaveLength(1);
  });

  it("says tracking comes once the order ships", async () => {
    const body = await renderBlock("en", async () => Response.json({ parcels: [] }));
    await settle();
    expect(body.textContent).toContain("Tracking appears here once your order ships.");
  });

  it("shows an error when the app does not answer", async () => {
    const body = await renderBlock("en", async () => new Response("no", { status: 404 }));
    await settle();
    expect(body.querySelector("s-banner")?.textContent).toBe(
      "Tracking is not available right now. Please try again later.",
    );
  });

  it("speaks Simplified Chinese for a zh-CN buyer and asks the app for Chinese status words", async () => {
    const body = await renderBlock("zh-CN", async () =>
      Response.json({ parcels: [{ ...PARCELS[0], statusLabel: "运输途中" }] }),
    );
    await settle();
    expect(requests[0].url).toMatch(/\?locale=zh-CN$/);
    expect(body.querySelector("s-section")?.getAttribute("heading")).toBe("物流跟踪");
    expect(body.textContent).toContain("最新动态：Arrived at destination country");
    expect(body.textContent).toContain("运输途中");
  });
});
