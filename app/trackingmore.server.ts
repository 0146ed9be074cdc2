import { appConfig } from "~/config.server";
import { logger } from "~/logger.server";
import { readTrackingMoreApiKey } from "~/models/settings.server";
import { TrackingMoreClient, type TrackingMoreClientOptions } from "~/trackingmore";

// The one way app code gets a TrackingMore client: per shop, with the shop's own key, the
// configured base URL and our logger. The client itself knows nothing of shops.

type ClientTuning = Omit<TrackingMoreClientOptions, "apiKey" | "baseUrl" | "logger">;

let tuning: ClientTuning = {};

/** Tests and the benchmark shorten timeouts and back-off here rather than per call site. */
export function setTrackingMoreClientTuning(next: ClientTuning) {
  tuning = next;
}

export function trackingMoreClientForKey(apiKey: string): TrackingMoreClient {
  return new TrackingMoreClient({
    apiKey,
    baseUrl: process.env.TRACKINGMORE_BASE_URL || appConfig().trackingMoreBaseUrl,
    logger: logger.child({ component: "trackingmore" }),
    ...tuning,
  });
}

/** The shop's client, or null when the merchant has not configured an API key yet. */
export async function trackingMoreClientForShop(shop: string): Promise<TrackingMoreClient | null> {
  const apiKey = await readTrackingMoreApiKey(shop);
  return apiKey ? trackingMoreClientForKey(apiKey) : null;
}
