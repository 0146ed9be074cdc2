import { appConfig } from "~/config.server";
import { PostgresRateGate } from "~/lib/trackingmore-rate-gate.server";
import { logger } from "~/logger.server";
import { readTrackingMoreApiKey } from "~/models/settings.server";
import {
  InProcessRateGate,
  TrackingMoreClient,
  type RateGate,
  type TrackingMoreClientOptions,
} from "~/trackingmore";

// The one way app code gets a TrackingMore client: per shop, with the shop's own key, the
// configured base URL, our logger and the rate gate every process of this deployment shares.
// The client itself knows nothing of shops or databases.

type ClientTuning = Omit<TrackingMoreClientOptions, "apiKey" | "baseUrl" | "logger">;

let tuning: ClientTuning = {};
let sharedGate: RateGate | undefined;

/** Tests and the benchmark shorten timeouts and back-off here rather than per call site. */
export function setTrackingMoreClientTuning(next: ClientTuning) {
  tuning = next;
  sharedGate = undefined;
}

/**
 * The gate every client of this deployment takes its turns through. On PostgreSQL several
 * processes call TrackingMore with one key, so they take turns in the database; on SQLite there
 * is one process, and its in-process limiter is the gate.
 */
export function trackingMoreRateGate(): RateGate {
  if (tuning.rateGate) return tuning.rateGate;
  sharedGate ??=
    appConfig().databaseProvider === "postgresql"
      ? new PostgresRateGate({ limits: tuning.rateLimits })
      : new InProcessRateGate(tuning.rateLimits, tuning.clock);
  return sharedGate;
}

export function trackingMoreClientForKey(apiKey: string): TrackingMoreClient {
  return new TrackingMoreClient({
    apiKey,
    baseUrl: process.env.TRACKINGMORE_BASE_URL || appConfig().trackingMoreBaseUrl,
    logger: logger.child({ component: "trackingmore" }),
    ...tuning,
    retry: { rateLimitPauseMs: appConfig().trackingMorePauseAfter429Ms, ...tuning.retry },
    rateGate: trackingMoreRateGate(),
  });
}

/** The shop's client, or null when the merchant has not configured an API key yet. */
export async function trackingMoreClientForShop(shop: string): Promise<TrackingMoreClient | null> {
  const apiKey = await readTrackingMoreApiKey(shop);
  return apiKey ? trackingMoreClientForKey(apiKey) : null;
}
