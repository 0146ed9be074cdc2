import prisma from "~/db/client.server";
import { ValidationError } from "~/lib/errors.server";
import { queueTrackingChanges } from "~/pipeline/change-push/tracking-changes.server";

// The Flow action "Mark tracking as exception or delivered": the same manual status the
// merchant sets in the app (held until the carrier reports again, written back to Shopify and
// TrackingMore through the usual queues), for the order's parcel or all of its parcels.

const STATUS = { exception: 7, delivered: 4 } as const;

export interface FlowActionProperties {
  order_id?: unknown;
  "Tracking number"?: unknown;
  Status?: unknown;
}

export async function markTrackingFromFlow(
  shop: string,
  properties: FlowActionProperties,
): Promise<{ updated: number }> {
  const orderId = String(properties.order_id ?? "").replace(/^gid:\/\/shopify\/Order\//, "");
  const status = String(properties.Status ?? "")
    .trim()
    .toLowerCase();
  const number = String(properties["Tracking number"] ?? "").trim();
  const fieldErrors: Record<string, string> = {};
  if (!/^\d{1,20}$/.test(orderId)) fieldErrors.order_id = "invalid";
  if (!(status in STATUS)) fieldErrors.Status = "invalid_status";
  if (Object.keys(fieldErrors).length > 0) throw new ValidationError(fieldErrors);
  const rows = await prisma.tracking.findMany({
    where: { shop, orderId, archived: false, ...(number ? { trackingNumber: number } : {}) },
    select: { id: true },
  });
  if (rows.length === 0) throw new ValidationError({ "Tracking number": "not_found" });
  return queueTrackingChanges(
    shop,
    rows.map((r) => r.id),
    { manualStatus: STATUS[status as keyof typeof STATUS] },
  );
}
