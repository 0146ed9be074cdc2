// Whose order it is: the customer-account block's API answers only the order's own customer
// (app/models/customer-order-trackings.server.ts).
export const ORDER_CUSTOMER = `#graphql
  query TrackBridgeOrderCustomer($id: ID!) {
    order(id: $id) { id customer { id } }
  }` as const;
