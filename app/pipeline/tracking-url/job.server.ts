import { publishProxyPaths } from "~/pipeline/tracking-url/proxy-path.server";
import { runTrackingUrlStep, type AdminFor } from "~/pipeline/tracking-url/tracking-url.server";
import { unauthenticated } from "~/shopify.server";
import type { BackgroundJob } from "../background.server";

const adminFor: AdminFor = async (shop) => (await unauthenticated.admin(shop)).admin;

/**
 * Links Shopify gives out: the tracking page as the URL of parcels Shopify cannot link itself
 * (opt-in), and the page's path for the theme block.
 */
export function trackingUrlJob(): BackgroundJob {
  return {
    name: "tracking-url",
    idleDelayMs: 5_000,
    runOnce: async () => (await runTrackingUrlStep(adminFor)) + (await publishProxyPaths(adminFor)),
  };
}
