import prisma from "~/db/client.server";
import { sqlParameterMarkers } from "~/db/sql.server";
import type { TransactionClient } from "~/db/client.server";
import { forgetCachedSessions } from "~/lib/session-cache.server";
import { logger } from "~/logger.server";
import { customerMatchOf, redactCustomerFromBody } from "~/models/privacy-payloads.server";
import { queueRemoteCustomerErasure } from "~/pipeline/erasure/shop-erasure.server";
import { isAtTrackingMore, queueTrackingChanges } from "~/pipeline/change-push/tracking-changes.server";

// Shopify's mandatory compliance topics. Each is idempotent: Shopify may deliver twice.

const log = logger.child({ component: "privacy" });

export interface CustomerReference {
  customer?: { id?: number | string | null; email?: string | null; phone?: string | null } | null;
  orders?: (number | string)[] | null;
}

/**
 * The shop's trackings of the customer: one of their orders, their email in any case (Shopify
 * may send `alice@example.com` for a row stored as `Alice@Example.com`), or their phone.
 */
async function customerTrackingIds(shop: string, reference: CustomerReference): Promise<string[]> {
  const email = reference.customer?.email?.trim().toLowerCase();
  const phone = reference.customer?.phone?.trim();
  const orders = (reference.orders ?? []).map(String).filter(Boolean);
  const conditions: string[] = [];
  const values: string[] = [shop];
  const markers = (count: number) => sqlParameterMarkers(count, values.length);
  if (orders.length > 0) {
    conditions.push(`"orderId" IN (${markers(orders.length).join(", ")})`);
    values.push(...orders);
  }
  if (email) {
    conditions.push(`lower("customerEmail") = ${markers(1)[0]}`);
    values.push(email);
  }
  if (phone) {
    conditions.push(`"customerPhone" = ${markers(1)[0]}`);
    values.push(phone);
  }
  if (conditions.length === 0) return [];
  const rows = await prisma.$queryRawUnsafe<{ id: string }[]>(
    `SELECT "id" FROM "Tracking" WHERE "shop" = ${sqlParameterMarkers(1)[0]} AND (${conditions.join(" OR ")})`,
    ...values,
  );
  return rows.map((row) => row.id);
}

/**
 * The bodies still waiting to be worked off that concern the customer (inbox deliveries not yet
 * ingested, pushes not yet applied) lose the customer's personal fields.
 */
async function redactStoredBodies(shop: string, reference: CustomerReference, trackingNumbers: string[]) {
  const match = customerMatchOf({ ...reference.customer, orders: reference.orders });
  const deliveries = await prisma.webhookDelivery.findMany({
    where: { shop, payload: { not: null } },
    select: { webhookId: true, payload: true },
  });
  let bodies = 0;
  for (const delivery of deliveries) {
    const redacted = redactCustomerFromBody(delivery.payload!, match);
    if (redacted === null) continue;
    await prisma.webhookDelivery.update({
      where: { webhookId: delivery.webhookId },
      data: { payload: redacted },
    });
    bodies++;
  }
  const numbers = new Set(trackingNumbers);
  const pushes = await prisma.trackingMorePush.findMany({
    where: { shops: { contains: JSON.stringify(shop) } },
    select: { id: true, trackingNumber: true, data: true },
  });
  for (const push of pushes) {
    // A push of one of the customer's parcels carries their fields even where nothing else in
    // it names them.
    const redacted = redactCustomerFromBody(push.data, match, {
      concernsCustomer: numbers.has(push.trackingNumber),
    });
    if (redacted === null) continue;
    await prisma.trackingMorePush.update({ where: { id: push.id }, data: { data: redacted } });
    bodies++;
  }
  return bodies;
}

/**
 * customers/redact: the customer's name, email and phone leave our rows now, and TrackingMore's
 * copies are cleared through the durable change queue (update many), so a TrackingMore outage
 * delays the erasure there but never skips it.
 */
export async function redactCustomer(
  shop: string,
  reference: CustomerReference,
): Promise<{ trackings: number; bodies: number }> {
  const ids = await customerTrackingIds(shop, reference);
  const rows =
    ids.length > 0
      ? await prisma.tracking.findMany({
          where: { shop, id: { in: ids } },
          select: { id: true, syncState: true, trackingMoreId: true, trackingNumber: true },
        })
      : [];
  const atTrackingMore = rows.filter(isAtTrackingMore).map((r) => r.id);
  if (atTrackingMore.length > 0) {
    await queueTrackingChanges(shop, atTrackingMore, {
      customerName: null,
      customerEmail: null,
      customerPhone: null,
    });
  }
  const email = reference.customer?.email?.trim().toLowerCase();
  const reports = email
    ? (
        await prisma.customerDataReport.findMany({
          where: { shop, customerEmail: { not: null } },
          select: { id: true, customerEmail: true },
        })
      ).filter((report) => report.customerEmail!.trim().toLowerCase() === email)
    : [];
  await prisma.$transaction([
    prisma.tracking.updateMany({
      where: { shop, id: { in: rows.map((r) => r.id) } },
      data: { customerName: null, customerEmail: null, customerPhone: null, destinationPostcode: null },
    }),
    prisma.customerDataReport.deleteMany({ where: { shop, id: { in: reports.map((r) => r.id) } } }),
  ]);
  const bodies = await redactStoredBodies(
    shop,
    reference,
    rows.map((r) => r.trackingNumber),
  );
  log.info({ shop, trackings: rows.length, bodies }, "customer redacted");
  return { trackings: rows.length, bodies };
}

export interface CustomerDataRequest extends CustomerReference {
  dataRequestId?: string | number | null;
}

/** customers/data_request: what we hold on the customer, stored for the merchant to send on. */
export async function recordCustomerDataRequest(shop: string, request: CustomerDataRequest) {
  const ids = await customerTrackingIds(shop, request);
  const trackings = ids.length
    ? await prisma.tracking.findMany({
        where: { shop, id: { in: ids } },
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

export interface CustomerDataReportView {
  id: string;
  customerEmail: string | null;
  createdAt: string;
  parcels: {
    trackingNumber: string;
    carrierCode: string;
    orderName: string | null;
    orderId: string;
    customerName: string | null;
    customerEmail: string | null;
    customerPhone: string | null;
    status: string;
  }[];
}

/** The reports the merchant can open (Settings), newest first: only the shop's own. */
export async function listCustomerDataReports(shop: string): Promise<CustomerDataReportView[]> {
  const rows = await prisma.customerDataReport.findMany({
    where: { shop },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
  return rows.map((row) => {
    const report = JSON.parse(row.report) as { trackings?: CustomerDataReportView["parcels"] };
    return {
      id: row.id,
      customerEmail: row.customerEmail,
      createdAt: row.createdAt.toISOString(),
      parcels: (report.trackings ?? []).map((t) => ({
        trackingNumber: t.trackingNumber,
        carrierCode: t.carrierCode,
        orderName: t.orderName,
        orderId: t.orderId,
        customerName: t.customerName,
        customerEmail: t.customerEmail,
        customerPhone: t.customerPhone,
        status: t.status,
      })),
    };
  });
}

/**
 * shop/redact (48 hours after uninstall): nothing of the shop remains here, and its customers'
 * data is cleared at TrackingMore by the erasure job (queued in the same transaction).
 */
export async function redactShop(shop: string): Promise<void> {
  forgetCachedSessions(shop);
  const queuedCalls = await prisma.$transaction(async (tx) => {
    const calls = await queueRemoteCustomerErasure(tx, shop);
    await forgetShopInPushes(tx, shop);
    await tx.session.deleteMany({ where: { shop } });
    await tx.deliveryPromise.deleteMany({ where: { shop } });
    await tx.tracking.deleteMany({ where: { shop } });
    await tx.carrierDailyStats.deleteMany({ where: { shop } });
    await tx.carrierDailyDays.deleteMany({ where: { shop } });
    await tx.airCargoTrack.deleteMany({ where: { shop } });
    await tx.fulfillment.deleteMany({ where: { shop } });
    await tx.fulfillmentEventRecord.deleteMany({ where: { shop } });
    await tx.webhookDelivery.deleteMany({ where: { shop } });
    await tx.customerDataReport.deleteMany({ where: { shop } });
    await tx.backfillJob.deleteMany({ where: { shop } });
    await tx.carrierOverride.deleteMany({ where: { shop } });
    await tx.shopSettings.deleteMany({ where: { shop } });
    await tx.transitTimeStats.updateMany({ where: { requestedBy: shop }, data: { requestedBy: "" } });
    await tx.shop.deleteMany({ where: { domain: shop } });
    return calls;
  });
  log.info({ shop, queuedCalls }, "shop redacted");
}

/** Pushes waiting to be applied: the shop leaves each one's list; a push for it alone goes. */
async function forgetShopInPushes(tx: TransactionClient, shop: string) {
  const pushes = await tx.trackingMorePush.findMany({
    where: { shops: { contains: JSON.stringify(shop) } },
    select: { id: true, shops: true },
  });
  for (const push of pushes) {
    const others = (JSON.parse(push.shops) as string[]).filter((s) => s !== shop);
    if (others.length === 0) await tx.trackingMorePush.delete({ where: { id: push.id } });
    else
      await tx.trackingMorePush.update({ where: { id: push.id }, data: { shops: JSON.stringify(others) } });
  }
}
