import prisma from "~/db/client.server";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { carrierDisplayName } from "~/models/storefront-tracking.server";
import { effectiveStatus } from "~/models/tracking-status/effective-status.server";
import {
  estimateView,
  formatEstimateRange,
  PROMISE_VIEW_SELECT,
  type DeliveryEstimate,
} from "~/models/delivery-promise/view";

// The parcels of one Shopify order, as the admin order page's block shows them.

export interface OrderTrackingSummary {
  id: string;
  trackingNumber: string;
  carrierCode: string;
  carrierName: string;
  status: string;
  statusLabel: string;
  syncState: string;
  syncStateLabel: string;
  lastEvent: string | null;
  lastEventAt: string | null;
  /** The app's own page for the parcel (the extension opens it as `app:` + path). */
  appPath: string;
  estimate: DeliveryEstimate | null;
  /** The estimate in the admin's words: "Dec 3 – Dec 5 (80% likely)" or "Later than expected". */
  estimateLabel: string | null;
}

/** "gid://shopify/Order/123" or "123" → "123"; null for anything else. */
export function numericOrderId(input: string): string | null {
  const match = /^(?:gid:\/\/shopify\/Order\/)?(\d{1,20})$/.exec(input.trim());
  return match ? match[1] : null;
}

function label(locale: Locale, key: string, fallback: string): string {
  const words = translate(locale, key as MessageKey);
  return words === key ? fallback : words;
}

/** The shop's trackings of the order (another shop's order has none). */
export async function listOrderTrackings(
  shop: string,
  orderId: string,
  locale: Locale,
): Promise<OrderTrackingSummary[]> {
  const rows = await prisma.tracking.findMany({
    where: { shop, orderId, syncState: { not: "deleted" } },
    orderBy: { createdAt: "asc" },
    include: { promise: { select: PROMISE_VIEW_SELECT } },
  });
  return rows.map((row) => {
    const status = effectiveStatus(row.carrierStatus ?? row.status, row.manualStatus);
    const estimate = estimateView(status, row.promise);
    return {
      id: row.id,
      trackingNumber: row.trackingNumber,
      carrierCode: row.carrierCode,
      carrierName: row.carrierCode ? carrierDisplayName(row.carrierCode) : (row.trackingCompany ?? ""),
      status,
      statusLabel: label(locale, `status.${status}`, status),
      syncState: row.syncState,
      syncStateLabel: label(locale, `sync.${row.syncState}`, row.syncState),
      lastEvent: row.lastEvent,
      lastEventAt: row.lastEventAt?.toISOString() ?? null,
      appPath: `/app/trackings/${row.id}`,
      estimate,
      estimateLabel: estimate
        ? estimate.state === "late"
          ? translate(locale, "estimate.late")
          : translate(locale, "estimate.label", {
              range: formatEstimateRange(estimate, locale),
              percent: estimate.confidence,
            })
        : null,
    };
  });
}
