// Types of the `shopify` global for this target (the Shopify CLI regenerates this file).
import "@shopify/ui-extensions";

//@ts-ignore
declare module "./src/OrderStatusBlock.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.order-status.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
