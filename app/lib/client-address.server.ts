import { appConfig } from "~/config.server";

// A visitor's address for rate limiting. X-Forwarded-For is a list each proxy appends to, so
// its first entries are whatever the client sent (a client that rotates a made-up first entry
// would escape a per-address limit); only the entries our own proxies appended can be trusted.
// With `hops` trusted proxies in front of the app (Shopify's app proxy is one; a load balancer
// in front of the app adds one), the visitor is the `hops`-th entry from the end.

export function visitorAddressOf(forwardedFor: string | null, hops: number): string | null {
  const entries = (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  // Fewer entries than trusted hops: the nearest one is the best we know.
  return entries[Math.max(0, entries.length - hops)];
}

/** The address the app proxy's limits count (TRACKBRIDGE_TRUSTED_PROXY_HOPS, default 1). */
export function visitorAddress(request: Request): string {
  return (
    visitorAddressOf(request.headers.get("x-forwarded-for"), appConfig().trustedProxyHops) ??
    request.headers.get("x-real-ip") ??
    "unknown"
  );
}
