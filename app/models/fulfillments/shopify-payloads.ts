// The parts of Shopify's webhook payloads TrackBridge reads. Everything is optional: Shopify
// omits or redacts protected customer data, and old API versions lack newer fields.

export interface ShopifyAddress {
  name?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  phone?: string | null;
  country_code?: string | null;
  company?: string | null;
  zip?: string | null;
}

export interface ShopifyLineItem {
  title?: string | null;
  name?: string | null;
  quantity?: number | null;
  variant_title?: string | null;
  sku?: string | null;
}

export interface ShopifyFulfillment {
  id?: number | string | null;
  order_id?: number | string | null;
  name?: string | null;
  status?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  service?: string | null;
  tracking_company?: string | null;
  tracking_number?: string | null;
  tracking_numbers?: (string | null)[] | null;
  email?: string | null;
  destination?: ShopifyAddress | null;
  line_items?: ShopifyLineItem[] | null;
  admin_graphql_api_id?: string | null;
}

export interface ShopifyOrder {
  id?: number | string | null;
  name?: string | null;
  email?: string | null;
  contact_email?: string | null;
  phone?: string | null;
  created_at?: string | null;
  customer?: {
    first_name?: string | null;
    last_name?: string | null;
    email?: string | null;
    phone?: string | null;
  } | null;
  shipping_address?: ShopifyAddress | null;
  line_items?: ShopifyLineItem[] | null;
  fulfillments?: ShopifyFulfillment[] | null;
}
