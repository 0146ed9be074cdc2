import { appConfig } from "~/config.server";
import { PostgresRateGate } from "~/lib/trackingmore-rate-gate.server";
import { logger } from "~/logger.server";
import {
  InProcessRateGate,
  TrackingMoreClient,
  type RateGate,
  type TrackingMoreClientOptions,
} from "~/trackingmore";

// The one way app code gets a TrackingMore client: with a key (a shop's comes from
// models/settings.server.ts, trackingMoreClientForShop), the configured base URL, our logger and the rate gate every process of this deployment shares.
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
