import prisma from "~/db/client.server";
import { adminRequest, type AdminGraphql } from "~/graphql/client";
import { FULFILLMENT_TRACKING_INFO_UPDATE } from "~/graphql/fulfillment-tracking-info";
import type {
  TrackBridgeFulfillmentTrackingInfoUpdateMutation,
  TrackBridgeFulfillmentTrackingInfoUpdateMutationVariables,
} from "~/graphql/generated/admin.types";
import { retryDelayMs } from "~/pipeline/queue/backoff.server";
import { logger } from "~/logger.server";
import { isCompanyKnownToShopify } from "~/models/carriers/carriers.server";

// The tracking page in Shopify's own notifications (opt-in, ShopSettings.trackingUrlInNotifications):
// a fulfillment whose company Shopify does not know ("Other", a regional carrier) gets no
// working link in Shopify's e-mails, so its numbers get the shop's TrackBridge tracking page as
// their URL. A small durable step per fulfillment: decided once (sent / not needed / failed),
// claimed with a lease so two workers never send it together, retried with back-off.

const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 10;
const log = logger.child({ component: "tracking-url" });

export type AdminFor = (shop: string) => Promise<AdminGraphql>;

/** The storefront tracking page with the order number filled in (the customer adds the e-mail). */
export function trackingPageUrl(shop: string, proxyPath: string, orderName: string | null): string {
  const url = new URL(`https://${shop}${proxyPath}`);
  if (orderName) url.searchParams.set("order", orderName);
  return url.toString();
}

function parseNumbers(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((n): n is string => typeof n === "string" && n !== "") : [];
  } catch {
    return [];
  }
}

function fulfillmentGid(id: string): string {
  return id.startsWith("gid://") ? id : `gid://shopify/Fulfillment/${id}`;
}

type Outcome = { kind: "sent" } | { kind: "failed"; reason: string } | { kind: "retry"; reason: string };

async function sendTrackingUrl(
  admin: AdminGraphql,
  variables: TrackBridgeFulfillmentTrackingInfoUpdateMutationVariables,
): Promise<Outcome> {
  try {
    const body = await adminRequest<
      TrackBridgeFulfillmentTrackingInfoUpdateMutation,
      TrackBridgeFulfillmentTrackingInfoUpdateMutationVariables
    >(admin, FULFILLMENT_TRACKING_INFO_UPDATE, variables);
    const payload = body.data?.fulfillmentTrackingInfoUpdate;
    const userErrors = payload?.userErrors ?? [];
    if (userErrors.length > 0)
      return {
        kind: "failed",
        reason: `Shopify refused the link: ${userErrors.map((e) => e.message).join("; ")}`,
      };
    if (!payload?.fulfillment) return { kind: "retry", reason: "Shopify answered without the fulfillment" };
    return { kind: "sent" };
  } catch (error) {
    return { kind: "retry", reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * One round: for every opted-in shop, the fulfillments created since it opted in that have
 * numbers and no decision yet. Returns how many were decided (0 = nothing to do).
 */
export async function runTrackingUrlStep(
  adminFor: AdminFor,
  now = new Date(),
  batchSize = 20,
): Promise<number> {
  const shops = await prisma.shopSettings.findMany({
    where: { trackingUrlInNotifications: true, trackingUrlSince: { not: null } },
    select: { shop: true, trackingUrlSince: true, proxyPathPrefix: true },
  });
  let decided = 0;
  for (const settings of shops) {
    const due = {
      shop: settings.shop,
      trackingUrlState: null,
      trackingNumbers: { not: "[]" },
      createdAt: { gte: settings.trackingUrlSince! },
      OR: [{ trackingUrlNextAt: null }, { trackingUrlNextAt: { lte: now } }],
    };
    const candidates = await prisma.fulfillment.findMany({
      where: due,
      orderBy: { createdAt: "asc" },
      take: batchSize,
    });
    let admin: AdminGraphql | null = null;
    for (const fulfillment of candidates) {
      const numbers = parseNumbers(fulfillment.trackingNumbers);
      // Nothing to link, or Shopify links it itself: decided, so it is not looked at again.
      if (numbers.length === 0 || isCompanyKnownToShopify(fulfillment.trackingCompany)) {
        await prisma.fulfillment.updateMany({
          where: { id: fulfillment.id, trackingUrlState: null },
          data: { trackingUrlState: "not_needed" },
        });
        decided += 1;
        continue;
      }
      const claimed = await prisma.fulfillment.updateMany({
        where: { id: fulfillment.id, ...due },
        data: { trackingUrlNextAt: new Date(now.getTime() + LEASE_MS) },
      });
      if (claimed.count === 0) continue;
      const url = trackingPageUrl(settings.shop, settings.proxyPathPrefix, fulfillment.orderName);
      let outcome: Outcome;
      try {
        admin ??= await adminFor(settings.shop);
        outcome = await sendTrackingUrl(admin, {
          fulfillmentId: fulfillmentGid(fulfillment.fulfillmentId),
          trackingInfoInput: {
            // The merchant's own company name stays what Shopify shows next to the number.
            ...(fulfillment.trackingCompany ? { company: fulfillment.trackingCompany } : {}),
            numbers,
            urls: numbers.map(() => url),
          },
          // Shopify's shipping-update e-mail carries the new link; without it Shopify would
          // also stop notifying the customer of this fulfillment's later updates.
          notifyCustomer: true,
        });
      } catch (error) {
        outcome = { kind: "retry", reason: error instanceof Error ? error.message : String(error) };
      }
      const attempts = fulfillment.trackingUrlAttempts + 1;
      if (outcome.kind === "sent") {
        await prisma.fulfillment.update({
          where: { id: fulfillment.id },
          data: {
            trackingUrlState: "sent",
            trackingUrlAttempts: attempts,
            trackingUrlError: null,
            trackingUrlNextAt: null,
          },
        });
      } else if (outcome.kind === "failed" || attempts >= MAX_ATTEMPTS) {
        log.warn(
          { shop: settings.shop, fulfillment: fulfillment.id, reason: outcome.reason },
          "tracking link not set",
        );
        await prisma.fulfillment.update({
          where: { id: fulfillment.id },
          data: {
            trackingUrlState: "failed",
            trackingUrlAttempts: attempts,
            trackingUrlError: outcome.reason.slice(0, 500),
            trackingUrlNextAt: null,
          },
        });
      } else {
        await prisma.fulfillment.update({
          where: { id: fulfillment.id },
          data: {
            trackingUrlAttempts: attempts,
            trackingUrlError: outcome.reason.slice(0, 500),
            trackingUrlNextAt: new Date(now.getTime() + retryDelayMs(attempts)),
          },
        });
        continue;
      }
      decided += 1;
    }
  }
  return decided;
}

/** Remembers the tracking page's public path Shopify's app proxy reported, when it changed. */
export async function recordProxyPath(shop: string, pathPrefix: string): Promise<void> {
  await prisma.shopSettings.updateMany({
    where: { shop, proxyPathPrefix: { not: pathPrefix } },
    data: { proxyPathPrefix: pathPrefix },
  });
}
