// Shopify Flow triggers (extensions/flow-*): one workflow run per queued event (app/models/flow/).
export const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation TrackBridgeFlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors { field message }
    }
  }` as const;
