import { createHmac } from "node:crypto";
import { TEST_API_SECRET, TEST_APP_URL } from "../support/env";

// A storefront request as Shopify's app proxy forwards it: the query signed with the app's
// secret (hex HMAC-SHA256 over the sorted `key=value` pairs, joined with nothing).

export function signProxyQuery(params: URLSearchParams, secret = TEST_API_SECRET): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped]
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export interface ProxyRequestOptions {
  shop: string;
  /** Form fields: the request is a POST (the lookup) when given, a GET otherwise. */
  form?: Record<string, string>;
  extraParams?: Record<string, string>;
  ip?: string;
  secret?: string;
  timestamp?: number;
  headers?: Record<string, string>;
}

export function proxyRequest(options: ProxyRequestOptions): Request {
  const params = new URLSearchParams({
    shop: options.shop,
    logged_in_customer_id: "",
    path_prefix: "/apps/trackbridge",
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    ...options.extraParams,
  });
  params.set("signature", signProxyQuery(params, options.secret));
  const headers = new Headers(options.headers);
  headers.set("x-forwarded-for", options.ip ?? "203.0.113.10");
  if (!options.form) return new Request(`${TEST_APP_URL}/proxy?${params}`, { headers });
  headers.set("content-type", "application/x-www-form-urlencoded");
  return new Request(`${TEST_APP_URL}/proxy?${params}`, {
    method: "POST",
    headers,
    body: new URLSearchParams(options.form).toString(),
  });
}
