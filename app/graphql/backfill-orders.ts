// Past fulfilled orders, a page at a time, for the backfill (app/models/admin/backfill.server.ts).
export const BACKFILL_ORDERS = `#graphql
  query BackfillOrders($query: String!, $after: String, $first: Int!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        legacyResourceId
        name
        email
        phone
        createdAt
        customer { firstName lastName email phone }
        shippingAddress { name firstName lastName phone countryCodeV2 }
        lineItems(first: 20) { nodes { title name quantity } }
        fulfillments(first: 20) {
          id
          legacyResourceId
          name
          status
          createdAt
          updatedAt
          service { handle }
          trackingInfo { number company url }
          fulfillmentLineItems(first: 20) { nodes { quantity lineItem { title name } } }
        }
      }
    }
  }` as const;
