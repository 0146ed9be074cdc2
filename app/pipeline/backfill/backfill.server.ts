import prisma from "~/db/client.server";
import { BACKFILL_ORDERS } from "~/graphql/backfill-orders";
import { adminRequest, type AdminGraphql } from "~/graphql/client";
import type { BackfillOrdersQuery, BackfillOrdersQueryVariables } from "~/graphql/generated/admin.types";
import { ValidationError } from "~/lib/errors.server";
import { logger } from "~/logger.server";
import { loadCarrierContext } from "~/models/carriers/carriers.server";
import { applyFulfillment } from "~/pipeline/ingest/ingest.server";
import { mapFulfillmentToTrackings, type MappingOptions } from "~/pipeline/ingest/mapping.server";
import type { ShopifyFulfillment, ShopifyOrder } from "~/pipeline/ingest/shopify-payloads";
import { getShopSettings } from "~/models/settings.server";
import { trackingMoreClientForShop } from "~/models/settings.server";
import { durableQueue } from "~/pipeline/queue/durable-queue.server";

// Imports past fulfilled orders: read page by page through the Admin GraphQL API and fed to the
// same mapping and the same idempotent `applyFulfillment` as the webhook pipeline, so a parcel
// the webhooks already created, or a page read twice after a restart, never makes a duplicate.
// The job's cursor is saved after each page: a restart resumes where it stopped.

export type { AdminGraphql };
export type AdminForShop = (shop: string) => Promise<AdminGraphql>;

export const ORDERS_PAGE_SIZE = 50;
/** The estimate reads at most this many pages (2 500 orders) before it answers "at least". */
const MAX_ESTIMATE_PAGES = 50;
const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

type GqlOrder = BackfillOrdersQuery["orders"]["nodes"][number];
type GqlFulfillment = GqlOrder["fulfillments"][number];

interface OrdersPage {
  orders: GqlOrder[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export function parseBackfillRange(from: string, to: string): { fromDate: Date; toDate: Date } {
  const fieldErrors: Record<string, string> = {};
  const fromDate = /^\d{4}-\d{2}-\d{2}$/.test(from) ? new Date(`${from}T00:00:00Z`) : null;
  const toDay = /^\d{4}-\d{2}-\d{2}$/.test(to) ? new Date(`${to}T00:00:00Z`) : null;
  if (!fromDate || Number.isNaN(fromDate.getTime())) fieldErrors.from = "invalid_date";
  if (!toDay || Number.isNaN(toDay.getTime())) fieldErrors.to = "invalid_date";
  if (fromDate && toDay && toDay < fromDate) fieldErrors.to = "date_before_start";
  if (fromDate && toDay && toDay.getTime() - fromDate.getTime() > MAX_RANGE_DAYS * DAY_MS)
    fieldErrors.to = "range_too_long";
  if (Object.keys(fieldErrors).length > 0) throw new ValidationError(fieldErrors);
  // The whole last day is included.
  return { fromDate: fromDate!, toDate: new Date(toDay!.getTime() + DAY_MS - 1) };
}

/** Shopify's search syntax for fulfilled orders changed in the range. */
export function ordersSearchQuery(fromDate: Date, toDate: Date): string {
  return `fulfillment_status:shipped updated_at:>='${fromDate.toISOString()}' updated_at:<='${toDate.toISOString()}'`;
}

async function readOrdersPage(
  admin: AdminGraphql,
  search: string,
  after: string | null,
): Promise<OrdersPage> {
  const body = await adminRequest<BackfillOrdersQuery, BackfillOrdersQueryVariables>(admin, BACKFILL_ORDERS, {
    query: search,
    after,
    first: ORDERS_PAGE_SIZE,
  });
  const orders = body.data?.orders;
  if (!orders)
    throw new Error(`Shopify did not return orders: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  return {
    orders: orders.nodes,
    hasNextPage: orders.pageInfo.hasNextPage,
    endCursor: orders.pageInfo.endCursor ?? null,
  };
}

function toShopifyOrder(order: GqlOrder): ShopifyOrder {
  return {
    id: order.legacyResourceId ?? order.id,
    name: order.name,
    email: order.email,
    phone: order.phone,
    created_at: order.createdAt,
    customer: order.customer
      ? {
          first_name: order.customer.firstName,
          last_name: order.customer.lastName,
          email: order.customer.email,
          phone: order.customer.phone,
        }
      : null,
    shipping_address: order.shippingAddress
      ? {
          name: order.shippingAddress.name,
          first_name: order.shippingAddress.firstName,
          last_name: order.shippingAddress.lastName,
          phone: order.shippingAddress.phone,
          country_code: order.shippingAddress.countryCodeV2,
        }
      : null,
    line_items: (order.lineItems?.nodes ?? []).map((li) => ({
      title: li.title,
      name: li.name,
      quantity: li.quantity,
    })),
  };
}

function toShopifyFulfillment(fulfillment: GqlFulfillment, order: GqlOrder): ShopifyFulfillment {
  const info = fulfillment.trackingInfo ?? [];
  return {
    id: fulfillment.legacyResourceId ?? fulfillment.id,
    admin_graphql_api_id: fulfillment.id,
    order_id: order.legacyResourceId ?? order.id,
    name: fulfillment.name,
    status: fulfillment.status?.toLowerCase() ?? null,
    created_at: fulfillment.createdAt,
    updated_at: fulfillment.updatedAt,
    service: fulfillment.service?.handle ?? null,
    tracking_company: info.find((i) => i.company)?.company ?? null,
    tracking_numbers: info.map((i) => i.number ?? null),
    line_items: (fulfillment.fulfillmentLineItems?.nodes ?? []).map((n) => ({
      title: n.lineItem?.title,
      name: n.lineItem?.name,
      quantity: n.quantity,
    })),
  };
}

/** Every fulfillment of the page with tracking numbers, mapped exactly as a webhook's would be. */
function mapPage(orders: GqlOrder[], options: MappingOptions) {
  const mappings = [];
  for (const order of orders) {
    for (const fulfillment of order.fulfillments ?? []) {
      // A cancelled fulfillment in the past is history, not something to track now.
      if (fulfillment.status?.toUpperCase() === "CANCELLED") continue;
      try {
        const mapping = mapFulfillmentToTrackings(
          toShopifyFulfillment(fulfillment, order),
          toShopifyOrder(order),
          options,
        );
        if (mapping.trackingNumbers.length > 0) mappings.push(mapping);
      } catch (error) {
        logger.warn({ err: error, order: order.id }, "backfill skipped an unmappable fulfillment");
      }
    }
  }
  return mappings;
}

async function mappingOptions(shop: string): Promise<MappingOptions> {
  const settings = await getShopSettings(shop);
  return {
    orderIdFormat: settings.orderIdFormat,
    titleTemplate: settings.titleTemplate,
    carriers: await loadCarrierContext(shop),
  };
}

export interface BackfillEstimate {
  from: string;
  to: string;
  orders: number;
  trackings: number;
  /** Trackings the backfill would create: the numbers the shop does not track yet. */
  newTrackings: number;
  /** The estimate stopped reading after MAX_ESTIMATE_PAGES: the real numbers are higher. */
  truncated: boolean;
  /** TrackingMore quota left, or null when it could not be asked. */
  remainingQuota: number | null;
}

/** Reads the range (without writing anything) so the merchant sees the cost before confirming. */
export async function estimateBackfill(
  shop: string,
  admin: AdminGraphql,
  from: string,
  to: string,
): Promise<BackfillEstimate> {
  const { fromDate, toDate } = parseBackfillRange(from, to);
  const options = await mappingOptions(shop);
  const search = ordersSearchQuery(fromDate, toDate);
  let after: string | null = null;
  let orders = 0;
  const numbers = new Set<string>();
  let pages = 0;
  let truncated = false;
  for (;;) {
    const page = await readOrdersPage(admin, search, after);
    pages += 1;
    orders += page.orders.length;
    for (const mapping of mapPage(page.orders, options))
      for (const n of mapping.trackingNumbers) numbers.add(n);
    if (!page.hasNextPage || !page.endCursor) break;
    if (pages >= MAX_ESTIMATE_PAGES) {
      truncated = true;
      break;
    }
    after = page.endCursor;
  }
  const all = [...numbers];
  let known = 0;
  for (let i = 0; i < all.length; i += 500) {
    known += await prisma.tracking.count({ where: { shop, trackingNumber: { in: all.slice(i, i + 500) } } });
  }
  return {
    from,
    to,
    orders,
    trackings: all.length,
    newTrackings: all.length - known,
    truncated,
    remainingQuota: await remainingQuota(shop),
  };
}

async function remainingQuota(shop: string): Promise<number | null> {
  const client = await trackingMoreClientForShop(shop);
  if (!client) return null;
  try {
    return (await client.getUserInfo()).remainingQuota;
  } catch {
    return null;
  }
}

const ACTIVE = ["queued", "running"];
/** States a job ends in: nothing claims it again. */
export type BackfillEndState = "done" | "failed" | "cancelled";

export const backfillQueue = durableQueue({
  stage: "backfill",
  table: "BackfillJob",
  key: "id",
  leaseMs: 120_000,
  maxAttempts: 10,
  backoff: { firstMs: 30_000, maxMs: 3_600_000 },
});
const queue = backfillQueue;

/** Queues the backfill the merchant confirmed; one at a time per shop. */
export async function startBackfill(shop: string, from: string, to: string, ordersEstimated: number) {
  const { fromDate, toDate } = parseBackfillRange(from, to);
  const active = await prisma.backfillJob.findFirst({ where: { shop, state: { in: ACTIVE } } });
  if (active) throw new ValidationError({ backfill: "backfill_running" });
  return prisma.backfillJob.create({
    data: { shop, fromDate, toDate, ordersEstimated: Math.max(0, Math.floor(ordersEstimated) || 0) },
  });
}

/**
 * The merchant stops the shop's running import. Only the state changes: a worker holding the job
 * finishes the page it is on (its counts are kept) and nothing claims the job again, so it stops
 * at its next page. Returns whether a running import was stopped.
 */
export async function cancelBackfill(shop: string, now = new Date()): Promise<boolean> {
  const { count } = await prisma.backfillJob.updateMany({
    where: { shop, state: { in: ACTIVE } },
    data: { state: "cancelled", finishedAt: now },
  });
  return count > 0;
}

export async function latestBackfill(shop: string) {
  const job = await prisma.backfillJob.findFirst({ where: { shop }, orderBy: { createdAt: "desc" } });
  if (!job) return null;
  return {
    id: job.id,
    state: job.state,
    from: job.fromDate.toISOString().slice(0, 10),
    to: job.toDate.toISOString().slice(0, 10),
    ordersSeen: job.ordersSeen,
    ordersEstimated: job.ordersEstimated,
    trackingsFound: job.trackingsFound,
    trackingsAdded: job.trackingsAdded,
    // Whether the last page failed and waits for its retry; the stored reason is for operators
    // (it holds Shopify's answer), the page says it in words.
    retrying: job.lastError !== null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    /** A worker still holds it: a cancelled import finishing the page it was on. */
    finishingPage: job.leaseOwner !== null && job.leaseUntil !== null && job.leaseUntil > new Date(),
  };
}

/**
 * One page of one backfill: claims a due job with a lease, applies the next page of orders,
 * saves the cursor. Returns the number of orders handled (0 = nothing to do).
 */
export async function runBackfillStep(adminForShop: AdminForShop, now = new Date()): Promise<number> {
  const [claim] = await queue.claim({
    where: { sql: `"state" IN ('queued', 'running')`, values: [] },
    orderBy: `"createdAt"`,
    limit: 1,
    now,
  });
  if (!claim) return 0;
  const job = await prisma.backfillJob.findFirst({ where: { id: claim.key, leaseOwner: claim.token } });
  if (!job) return 0;
  // From here on the state is only ever moved on from an active one: a cancel that lands while
  // this page runs stays cancelled.
  const stillActive = { ...queue.fenced(claim), state: { in: ACTIVE } };
  await prisma.backfillJob.updateMany({ where: stillActive, data: { state: "running" } });
  try {
    const orders = await queue.whileHeld([claim], async () => {
      const admin = await adminForShop(job.shop);
      const page = await readOrdersPage(admin, ordersSearchQuery(job.fromDate, job.toDate), job.cursor);
      const settings = await getShopSettings(job.shop);
      const mappings = mapPage(page.orders, await mappingOptions(job.shop));
      let added = 0;
      let found = 0;
      for (const mapping of mappings) {
        found += mapping.trackingNumbers.length;
        added += (await applyFulfillment(job.shop, "backfill", mapping, settings)).created;
      }
      const finished = !page.hasNextPage || !page.endCursor;
      await prisma.$transaction([
        prisma.backfillJob.updateMany({
          where: stillActive,
          data: { state: finished ? "done" : "running", finishedAt: finished ? new Date() : null },
        }),
        prisma.backfillJob.updateMany({
          where: queue.fenced(claim),
          data: {
            cursor: finished ? job.cursor : page.endCursor,
            ordersSeen: { increment: page.orders.length },
            trackingsFound: { increment: found },
            trackingsAdded: { increment: added },
            attempts: 0,
            lastError: null,
            leaseOwner: null,
            leaseUntil: null,
          },
        }),
      ]);
      return page.orders.length;
    });
    return Math.max(1, orders);
  } catch (error) {
    // Shopify may be briefly unavailable: retried with back-off, dead-lettered after a few hours
    // (the merchant sees it failed, with the reason, and can retry from where it stopped).
    const outcome = await queue.fail(claim, error, { now });
    if (outcome === "dead")
      await prisma.backfillJob.updateMany({
        where: { id: job.id, state: { in: ACTIVE } },
        data: { state: "failed", finishedAt: new Date() },
      });
    return 0;
  }
}
