// The tracking-page link for parcels of a company Shopify does not know
// (app/models/tracking-url/): Shopify then links the numbers to our page, in the admin, on the
// order status page and in its shipping notifications.
export const FULFILLMENT_TRACKING_INFO_UPDATE = `#graphql
  mutation TrackBridgeFulfillmentTrackingInfoUpdate(
    $fulfillmentId: ID!
    $trackingInfoInput: FulfillmentTrackingInput!
    $notifyCustomer: Boolean
  ) {
    fulfillmentTrackingInfoUpdate(
      fulfillmentId: $fulfillmentId
      trackingInfoInput: $trackingInfoInput
      notifyCustomer: $notifyCustomer
    ) {
      fulfillment { id trackingInfo { number url } }
      userErrors { field message }
    }
  }` as const;
