import { ingestLagMs, ingestPendingDeliveries } from "~/pipeline/ingest/ingest.server";
import type { BackgroundJob } from "~/pipeline/background.server";

const MAX_INGEST_LAG_MS = 5_000;

/** Recorded Shopify deliveries → Fulfillment and Tracking rows. */
export function ingestDeliveriesJob(): BackgroundJob {
  return {
    name: "ingest-deliveries",
    idleDelayMs: 200,
    runOnce: () => ingestPendingDeliveries(),
    // A burst may delay ingest, but never by more than MAX_INGEST_LAG_MS: under sustained
    // load it runs flat out and keeps up.
    canYieldToIntake: async () => (await ingestLagMs()) < MAX_INGEST_LAG_MS,
  };
}
