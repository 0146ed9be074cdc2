import { describe, expect, it } from "vitest";
import { visitorAddressOf } from "~/lib/client-address.server";
import { STOREFRONT_LOOKUPS_PER_MINUTE } from "~/models/storefront-tracking.server";
import { action } from "~/routes/proxy/route";
import { proxyRequest } from "../storefront/proxy-request";
import { callRoute } from "../support/routes";
import { seedOfflineSession } from "../support/shopify";

// The storefront page's per-visitor limit counts the address Shopify's proxy reports (the last
// X-Forwarded-For entry with one trusted hop), not the first entry, which the visitor writes.
const shop = "proxy-limit.myshopify.com";

describe("app proxy rate limiting", () => {
  it("is not escaped by rotating a made-up first X-Forwarded-For entry", async () => {
    await seedOfflineSession(shop);
    const lookup = (i: number) =>
      callRoute(
        action,
        proxyRequest({
          shop,
          form: { order: `#9${i}`, email: "guess@example.com" },
          headers: {},
          ip: `10.${i % 250}.0.1, 203.0.113.200`,
        }),
      ).then((r) => r.text());
    for (let i = 0; i < STOREFRONT_LOOKUPS_PER_MINUTE; i++)
      expect(await lookup(i)).toContain("No parcels found");
    expect(await lookup(STOREFRONT_LOOKUPS_PER_MINUTE)).toContain("Too many lookups");
  });

  it("reads the visitor that many trusted hops from the end", () => {
    expect(visitorAddressOf("spoofed, 203.0.113.9", 1)).toBe("203.0.113.9");
    expect(visitorAddressOf("spoofed, 203.0.113.9, 198.51.100.1", 2)).toBe("203.0.113.9");
    expect(visitorAddressOf("203.0.113.9", 2)).toBe("203.0.113.9");
    expect(visitorAddressOf(null, 1)).toBeNull();
  });
});
