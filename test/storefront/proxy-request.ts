import { signProxyQuery } from "../../devkit/shopify";
import { TEST_API_SECRET, TEST_APP_URL } from "../support/env";

// A storefront request as Shopify's app proxy forwards it to the test app: the query signed
// with the app's secret (devkit/shopify/app-proxy.ts).

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
  params.set("signature", signProxyQuery(params, options.secret ?? TEST_API_SECRET));
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
