import prisma from "~/db/client.server";
import { loadCarrierCatalog, SNAPSHOT_CATALOG, type CarrierCatalog } from "~/models/carriers/carriers.server";
import { effectiveStatus } from "~/models/tracking-status/effective-status.server";
import { estimateView, PROMISE_VIEW_SELECT, type DeliveryEstimate } from "~/models/delivery-promise/view";

// What a shop's customer may see of their own parcels on the storefront tracking page. The
// customer proves the order is theirs with the order number and the email on the order; any
// mismatch answers exactly like an unknown order, so the page never reveals which orders exist.

export interface StorefrontCheckpoint {
  time: string | null;
  description: string;
  location: string | null;
}

export interface StorefrontParcel {
  carrierName: string;
  trackingNumber: string;
  /** The effective status (a merchant's manual status wins), e.g. "transit". */
  status: string;
  lastEvent: string | null;
  lastEventAt: string | null;
  /** Newest first, as a customer reads a timeline. */
  checkpoints: StorefrontCheckpoint[];
  estimate: DeliveryEstimate | null;
}

export interface StorefrontLookup {
  orderNumber: string;
  email: string;
}

/** "#1001", "1001", " #1001 " → the order names Shopify may have stored ("#1001", "1001"). */
export function orderNameCandidates(input: string): string[] {
  const bare = input.trim().replace(/^#+/, "").trim();
  if (!bare || bare.length > 64) return [];
  return [`#${bare}`, bare];
}

export function normaliseEmail(input: string): string {
  return input.trim().toLowerCase();
}

/** Carrier name for a TrackingMore code (the shop's list, else the snapshot); else the code. */
export function carrierDisplayName(code: string, catalog: CarrierCatalog = SNAPSHOT_CATALOG): string {
  return catalog.name(code) ?? code;
}

/**
 * Stored checkpoints (oldest first). The status jobs store `status`; rows refreshed from the
 * admin carry `checkpointStatus`: both shapes are read, only what a customer needs is kept.
 */
export function storefrontCheckpoints(json: string | null): StorefrontCheckpoint[] {
  if (!json) return [];
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list
    .filter((c): c is Record<string, unknown> => typeof c === "object" && c !== null)
    .map((c) => ({
      time: typeof c.time === "string" ? c.time : null,
      description: typeof c.description === "string" ? c.description : "",
      location: typeof c.location === "string" && c.location ? c.location : null,
    }))
    .filter((c) => c.description || c.time)
    .sort((a, b) => (b.time ?? "").localeCompare(a.time ?? ""));
}

/** The shop's parcels of the order, or [] when the order or the email does not match. */
export async function findParcelsForCustomer(
  shop: string,
  lookup: StorefrontLookup,
): Promise<StorefrontParcel[]> {
  const names = orderNameCandidates(lookup.orderNumber);
  const email = normaliseEmail(lookup.email);
  if (!names.length || !email) return [];
  const [rows, catalog] = await Promise.all([
    prisma.tracking.findMany({
      where: {
        shop,
        orderName: { in: names },
        customerEmail: { not: null },
        syncState: { notIn: ["deleted", "pending_delete"] },
      },
      orderBy: { createdAt: "asc" },
      include: { promise: { select: PROMISE_VIEW_SELECT } },
    }),
    loadCarrierCatalog(shop),
  ]);
  // Emails are compared here, not in SQL: SQLite has no case-insensitive mode in Prisma.
  return rows
    .filter((row) => normaliseEmail(row.customerEmail ?? "") === email)
    .map((row) => ({
      carrierName: row.carrierCode
        ? carrierDisplayName(row.carrierCode, catalog)
        : (row.trackingCompany ?? ""),
      trackingNumber: row.trackingNumber,
      status: effectiveStatus(row.carrierStatus ?? row.status, row.manualStatus),
      lastEvent: row.lastEvent,
      lastEventAt: row.lastEventAt?.toISOString() ?? null,
      checkpoints: storefrontCheckpoints(row.checkpoints),
      estimate: estimateView(effectiveStatus(row.carrierStatus ?? row.status, row.manualStatus), row.promise),
    }));
}

/**
 * A fixed-window counter per key, in this process's memory: enough to make
 * guessing order numbers and emails pointless, with nothing to store or clean up elsewhere.
 */
export class LookupRateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(private readonly options: { limit: number; windowMs: number; now?: () => number }) {}

  /** Counts one lookup; false when the key has used up its window. */
  tryAcquire(key: string): boolean {
    const now = (this.options.now ?? Date.now)();
    this.forgetExpired(now);
    const window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.options.windowMs) {
      this.windows.set(key, { startedAt: now, count: 1 });
      return true;
    }
    if (window.count >= this.options.limit) return false;
    window.count += 1;
    return true;
  }

  private forgetExpired(now: number) {
    // Pruned only when the map grows, so a normal lookup costs one map access.
    if (this.windows.size < 10_000) return;
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= this.options.windowMs) this.windows.delete(key);
    }
  }
}

export const STOREFRONT_LOOKUPS_PER_MINUTE = 20;
/**
 * A shop-wide ceiling as well: the visitor's address comes from a forwarded header, and a
 * client that varies it must still not get unlimited guesses.
 */
export const STOREFRONT_SHOP_LOOKUPS_PER_MINUTE = 600;

const visitorLimiter = new LookupRateLimiter({ limit: STOREFRONT_LOOKUPS_PER_MINUTE, windowMs: 60_000 });
const shopLimiter = new LookupRateLimiter({ limit: STOREFRONT_SHOP_LOOKUPS_PER_MINUTE, windowMs: 60_000 });

/** Counts one storefront lookup; false when the visitor or the shop has used up the minute. */
export function tryStorefrontLookup(shop: string, visitor: string): boolean {
  return visitorLimiter.tryAcquire(`${shop}|${visitor}`) && shopLimiter.tryAcquire(shop);
}
