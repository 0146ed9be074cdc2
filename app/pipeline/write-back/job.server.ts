import type { BackgroundJob } from "~/pipeline/background.server";
import { sendDueFulfillmentEvents } from "~/pipeline/write-back/send-events.server";

/** Sends queued fulfillment events to Shopify. */
export function writeBackEventsJob(): BackgroundJob {
  return { name: "write-back-events", runOnce: () => sendDueFulfillmentEvents(), idleDelayMs: 2_000 };
}
