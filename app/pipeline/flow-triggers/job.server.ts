import { queueFlowTriggerEvents } from "~/pipeline/flow-triggers/enqueue.server";
import { sendDueFlowTriggerEvents } from "~/pipeline/flow-triggers/send.server";
import { unauthenticated } from "~/shopify.server";
import type { BackgroundJob } from "../background.server";

/** Queues Shopify Flow trigger events of changed parcels and sends them, each once. */
export function flowTriggersJob(): BackgroundJob {
  return {
    name: "flow-triggers",
    idleDelayMs: 5_000,
    runOnce: async () =>
      (await queueFlowTriggerEvents()) +
      (await sendDueFlowTriggerEvents(async (shop) => (await unauthenticated.admin(shop)).admin)),
  };
}
