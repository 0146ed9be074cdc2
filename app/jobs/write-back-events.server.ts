import type { BackgroundJob } from "./background.server";
import { sendDueFulfillmentEvents } from "~/models/writeback/send-events.server";

/** Sends queued fulfillment events to Shopify. */
export function writeBackEventsJob(): BackgroundJob {
  return { name: "write-back-events", runOnce: () => sendDueFulfillmentEvents(), idleDelayMs: 2_000 };
}
