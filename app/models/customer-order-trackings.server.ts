import prisma from "~/db/client.server";
import { adminRequest, type AdminGraphql } from "~/graphql/client";
import type {
  TrackBridgeOrderCustomerQuery,
  TrackBridgeOrderCustomerQueryVariables,
} from "~/graphql/generated/admin.types";
import { ORDER_CUSTOMER } from "~/graphql/order-customer";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { effectiveStatus } from "~/models/tracking-status/effective-status.server";
import { carrierDisplayName } from "~/models/storefront-tracking.server";

// The parcels of one order for its customer, as the customer-account order status block shows
// them. The extension's session token names the shop and the customer; Shopify says whose
// order it is, so a customer never sees another customer's parcels.

export interface CustomerParcel {
  trackingNumber: string;
  carrierName: string;
  status: string;
  statusLabel: string;
  lastEvent: string | null;
  lastEventAt: string | null;
  estimatedDeliveryAt: string | null;
}

function label(locale: Locale, status: string): string {
  const key = `status.${status}` as MessageKey;
  const words = translate(locale, key);
  return words === key ? status : words;
}

/** null when the order is not this customer's (or not a valid order id). */
export async function listCustomerOrderTrackings(
  admin: AdminGraphql,
  shop: string,
  customerGid: string,
  orderGid: string,
  locale: Locale,
): Promise<CustomerParcel[] | null> {
  const match = /^gid:\/\/shopify\/Order\/(\d{1,20})$/.exec(orderGid);
  if (!match || !customerGid.startsWith("gid://shopify/Customer/")) return null;
  const body = await adminRequest<TrackBridgeOrderCustomerQuery, TrackBridgeOrderCustomerQueryVariables>(
    admin,
    ORDER_CUSTOMER,
    { id: orderGid },
  );
  if (body.data?.order?.customer?.id !== customerGid) return null;
  const rows = await prisma.tracking.findMany({
    where: { shop, orderId: match[1], archived: false, syncState: { not: "deleted" } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((row) => {
    const status = effectiveStatus(row.carrierStatus ?? row.status, row.manualStatus);
    return {
      trackingNumber: row.trackingNumber,
      carrierName: row.carrierCode ? carrierDisplayName(row.carrierCode) : (row.trackingCompany ?? ""),
      status,
      statusLabel: label(locale, status),
      lastEvent: row.lastEvent,
      lastEventAt: row.lastEventAt?.toISOString() ?? null,
      estimatedDeliveryAt: row.estimatedDeliveryAt?.toISOString() ?? null,
    };
  });
}
