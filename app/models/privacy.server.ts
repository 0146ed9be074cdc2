import prisma from "~/db.server";
import { forgetCachedSessions } from "~/lib/session-cache.server";
import { logger } from "~/logger.server";
import { isAtTrackingMore, queueTrackingChanges } from "~/models/tracking-changes.server";

// Shopify's mandatory compliance topics. Each is idempotent: Shopify may deliver twice.

const log = logger.child({ component: "privacy" });

export interface CustomerReference {
  customer?: { id?: number | string | null; email?: string | null; phone?: string | null } | null;
  orders?: (number | string)[] | null;
}

function customerWhere(shop: string, reference: CustomerReference) {
  const email = reference.customer?.email?.trim();
  const phone = reference.customer?.phone?.trim();
  const orders = (reference.orders ?? []).map(String).filter(Boolean);
  const or = [
    ...(orders.length > 0 ? [{ orderId: { in: orders } }] : []),
    ...(email ? [{ customerEmail: email }, { customerEmail: email.toLowerCase() }] : []),
    ...(phone ? [{ customerPhone: phone }] : []),
  ];
  return or.length > 0 ? { shop, OR: or } : null;
}

/**
 * customers/redact: the customer's name, email and phone leave our rows now, and TrackingMore's
 * copies are cleared through the durable change queue (update many), so a TrackingMore outage
 * delays the erasure there but never skips it.
 */
export async function redactCustomer(
  shop: string,
  reference: CustomerReference,
): Promise<{ trackings: number }> {
  const where = customerWhere(shop, reference);
  if (!where) return { trackings: 0 };
  const rows = await prisma.tracking.findMany({
    where,
    select: { id: true, syncState: true, trackingMoreId: true },
  });
  const atTrackingMore = rows.filter(isAtTrackingMore).map((r) => r.id);
  if (atTrackingMore.length > 0) {
    await queueTrackingChanges(shop, atTrackingMore, {
      customerName: null,
      customerEmail: null,
      customerPhone: null,
    });
  }
  await prisma.$transaction([
    prisma.tracking.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { customerName: null, customerEmail: null, customerPhone: null, destinationPostcode: null },
    }),
    ...(reference.customer?.email
      ? [prisma.customerDataReport.deleteMany({ where: { shop, customerEmail: reference.customer.email } })]
      : []),
  ]);
  log.info({ shop, trackings: rows.length }, "customer redacted");
  return { trackings: rows.length };
}

export interface CustomerDataRequest extends CustomerReference {
  dataRequestId?: string | number | null;
}

/** customers/data_request: what we hold on the customer, stored for the merchant to send on. */
export async function recordCustomerDataRequest(shop: string, request: CustomerDataRequest) {
  const where = customerWhere(shop, request);
  const trackings = where
    ? await prisma.tracking.findMany({
        where,
        orderBy: { createdAt: "asc" },
        select: {
          trackingNumber: true,
          carrierCode: true,
          orderName: true,
          orderId: true,
          customerName: true,
          customerEmail: true,
          customerPhone: true,
          destinationCode: true,
          status: true,
          createdAt: true,
        },
      })
    : [];
  const report = {
    generatedAt: new Date().toISOString(),
    customer: request.customer ?? null,
    ordersRequested: (request.orders ?? []).map(String),
    trackings: trackings.map((t) => ({ ...t, createdAt: t.createdAt.toISOString() })),
    // Nothing else about the customer is kept: delivery payloads are dropped once ingested.
  };
  const dataRequestId = request.dataRequestId != null ? String(request.dataRequestId) : null;
  const existing = dataRequestId
    ? await prisma.customerDataReport.findFirst({ where: { shop, dataRequestId }, select: { id: true } })
    : null;
  const data = {
    shop,
    dataRequestId,
    customerId: request.customer?.id != null ? String(request.customer.id) : null,
    customerEmail: request.customer?.email ?? null,
    report: JSON.stringify(report),
  };
  return existing
    ? prisma.customerDataReport.update({ where: { id: existing.id }, data })
    : prisma.customerDataReport.create({ data });
}

/** The reports the merchant can open, newest first. */
export function listCustomerDataReports(shop: string) {
  return prisma.customerDataReport.findMany({ where: { shop }, orderBy: { createdAt: "desc" }, take: 50 });
}

/** shop/redact (48 hours after uninstall): nothing of the shop remains. */
export async function redactShop(shop: string): Promise<void> {
  forgetCachedSessions(shop);
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop } }),
    prisma.deliveryPromise.deleteMany({ where: { shop } }),
    prisma.tracking.deleteMany({ where: { shop } }),
    prisma.carrierDailyStats.deleteMany({ where: { shop } }),
    prisma.carrierDailyDays.deleteMany({ where: { shop } }),
    prisma.airCargoTrack.deleteMany({ where: { shop } }),
    prisma.fulfillment.deleteMany({ where: { shop } }),
    prisma.fulfillmentEventRecord.deleteMany({ where: { shop } }),
    prisma.webhookDelivery.deleteMany({ where: { shop } }),
    prisma.customerDataReport.deleteMany({ where: { shop } }),
    prisma.backfillJob.deleteMany({ where: { shop } }),
    prisma.carrierOverride.deleteMany({ where: { shop } }),
    prisma.shopSettings.deleteMany({ where: { shop } }),
    prisma.transitTimeStats.updateMany({ where: { requestedBy: shop }, data: { requestedBy: "" } }),
    prisma.shop.deleteMany({ where: { domain: shop } }),
  ]);
  log.info({ shop }, "shop redacted");
}
