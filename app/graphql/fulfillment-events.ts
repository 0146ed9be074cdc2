// Write-back (app/models/writeback/): one fulfillment event per status change, and the read that
// tells whether Shopify already has an event whose answer we lost.
export const FULFILLMENT_EVENT_CREATE = `#graphql
  mutation TrackBridgeFulfillmentEventCreate($fulfillmentEvent: FulfillmentEventInput!) {
    fulfillmentEventCreate(fulfillmentEvent: $fulfillmentEvent) {
      fulfillmentEvent { id status happenedAt }
      userErrors { field message }
    }
  }` as const;

export const FULFILLMENT_EVENTS = `#graphql
  query TrackBridgeFulfillmentEvents($id: ID!) {
    fulfillment(id: $id) {
      id
      events(first: 100, reverse: true) { nodes { id status happenedAt } }
    }
  }` as const;
