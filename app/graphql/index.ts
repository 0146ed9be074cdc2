import { APP_DATA_METAFIELDS_SET, CURRENT_APP_INSTALLATION } from "./app-data-metafields";
import { BACKFILL_ORDERS } from "./backfill-orders";
import { FLOW_TRIGGER_RECEIVE } from "./flow-trigger-receive";
import { FULFILLMENT_EVENT_CREATE, FULFILLMENT_EVENTS } from "./fulfillment-events";
import { FULFILLMENT_TRACKING_INFO_UPDATE } from "./fulfillment-tracking-info";
import { ORDER_CUSTOMER } from "./order-customer";
import { SHOP_COUNTRY, SHOP_TIME_ZONE } from "./shop";

// Every Admin GraphQL operation the app sends, each validated against Shopify's schema by
// test/graphql/operations.test.ts; the tests' Admin API interception refuses any other text.
export const ADMIN_OPERATIONS: readonly string[] = [
  BACKFILL_ORDERS,
  FULFILLMENT_EVENT_CREATE,
  FULFILLMENT_EVENTS,
  FULFILLMENT_TRACKING_INFO_UPDATE,
  CURRENT_APP_INSTALLATION,
  APP_DATA_METAFIELDS_SET,
  FLOW_TRIGGER_RECEIVE,
  ORDER_CUSTOMER,
  SHOP_COUNTRY,
  SHOP_TIME_ZONE,
];

/**
 * Fields the app uses that Shopify added after the committed schema (2026-01), as "Type.field",
 * each with why it is safe to send to API 2026-10. Validation errors about anything else fail.
 */
export const FIELDS_AFTER_SCHEMA: Readonly<Record<string, string>> = {};
