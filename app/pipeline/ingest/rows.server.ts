import type { ShopSettingsView } from "~/models/settings.server";
import type { SyncState } from "~/models/tracking-state";
import type { FulfillmentMapping, TrackingDraft } from "./mapping.server";

// The rows ingest writes, one shape for the bulk path (raw multi-row INSERTs) and the careful
// path (Prisma upserts), so the two can never disagree about what a fulfillment or a new
// parcel looks like.

export function fulfillmentFields(mapping: FulfillmentMapping, settings: ShopSettingsView) {
  return {
    orderId: mapping.orderId,
    orderName: mapping.orderName,
    shopifyStatus: mapping.shopifyStatus,
    shopifyUpdatedAt: mapping.shopifyUpdatedAt,
    trackingCompany: mapping.trackingCompany,
    trackingNumbers: JSON.stringify(mapping.trackingNumbers),
    note:
      mapping.note ??
      (settings.createOnFulfillment ? null : "Creating trackings on fulfillment is turned off in Settings"),
  };
}

/** A parcel's first row: waiting for the dispatcher to create it at TrackingMore. */
export function newTrackingRow(shop: string, draft: TrackingDraft) {
  return {
    shop,
    orderId: draft.orderId,
    orderName: draft.orderName,
    fulfillmentId: draft.fulfillmentId,
    trackingNumber: draft.trackingNumber,
    carrierCode: draft.carrierCode,
    carrierSource: draft.carrierSource,
    trackingCompany: draft.trackingCompany,
    originCountry: draft.originCountry,
    title: draft.title,
    tmOrderId: draft.tmOrderId,
    customerName: draft.customerName,
    customerEmail: draft.customerEmail,
    customerPhone: draft.customerPhone,
    destinationCode: draft.destinationCode,
    destinationPostcode: draft.destinationPostcode,
    logisticsChannel: draft.logisticsChannel,
    orderCreatedAt: draft.orderCreatedAt,
    syncState: "pending" satisfies SyncState,
  };
}
