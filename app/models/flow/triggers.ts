import { carrierDisplayName } from "~/models/storefront-tracking.server";

// The app's Shopify Flow triggers, one per extensions/flow-<name>/shopify.extension.toml; the
// payload carries exactly the fields those files declare (test/flow/flow.test.ts holds them to it).

export const FLOW_TRIGGERS = {
  statusChanged: "tracking-status-changed",
  exception: "tracking-exception",
  delivered: "tracking-delivered",
  stalled: "shipment-stalled",
} as const;

export type FlowTriggerHandle = (typeof FLOW_TRIGGERS)[keyof typeof FLOW_TRIGGERS];
export const FLOW_TRIGGER_HANDLES: readonly FlowTriggerHandle[] = Object.values(FLOW_TRIGGERS);

/** A parcel in transit without a new checkpoint for this long is "stalled". */
export const STALLED_AFTER_MS = 7 * 86_400_000;

export interface FlowTrackingFields {
  orderId: string;
  trackingNumber: string;
  carrierCode: string;
  trackingCompany: string | null;
  status: string;
  substatus: string | null;
  lastEvent: string | null;
}

/** The trigger's payload: `order_id` for the order reference, then the text fields by key. */
export function flowTriggerPayload(tracking: FlowTrackingFields): Record<string, string | number> {
  return {
    order_id: Number(tracking.orderId),
    "Tracking number": tracking.trackingNumber,
    Carrier: tracking.carrierCode
      ? carrierDisplayName(tracking.carrierCode)
      : (tracking.trackingCompany ?? ""),
    Status: tracking.status,
    Substatus: tracking.substatus ?? "",
    "Last event": tracking.lastEvent ?? "",
  };
}
