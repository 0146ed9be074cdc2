import { createHmac } from "node:crypto";

// Storefront requests as Shopify's app proxy forwards them.

/** The proxy's signature: hex HMAC-SHA256 over the sorted `key=value` pairs, joined with nothing. */
export function signProxyQuery(params: URLSearchParams, apiSecret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped]
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", apiSecret).update(message).digest("hex");
}
