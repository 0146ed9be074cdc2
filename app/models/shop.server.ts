import { adminRequest } from "~/graphql/client";
import type { TrackBridgeShopCountryQuery } from "~/graphql/generated/admin.types";
import { SHOP_COUNTRY } from "~/graphql/shop";
import prisma from "~/db/client.server";
import { forgetCachedSessions } from "~/lib/session-cache.server";

/**
 * Called after a merchant's token exchange: a (re)installed shop is active again, and its time
 * zone (for the admin's dates) is brought up to date when Shopify told it.
 */
export async function recordShopInstalled(shop: string, ianaTimezone?: string | null): Promise<void> {
  const zone = ianaTimezone ? { ianaTimezone } : {};
  await prisma.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, ...zone },
    update: { uninstalledAt: null, ...zone },
  });
}

/** The shop's time zone for the admin's dates; UTC until Shopify told us. */
export async function shopTimeZone(shop: string): Promise<string> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true } });
  return row?.ianaTimezone ?? "UTC";
}

/**
 * app/uninstalled: the shop's sessions go, dispatch stops (the dispatcher skips uninstalled
 * shops), and its data stays until shop/redact. Safe to run twice, and after the session is gone.
 */
export async function recordShopUninstalled(shop: string, at: Date = new Date()): Promise<void> {
  forgetCachedSessions(shop);
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop } }),
    prisma.shop.upsert({
      where: { domain: shop },
      create: { domain: shop, uninstalledAt: at },
      update: { uninstalledAt: at },
    }),
  ]);
}

/** app/scopes_update: keep the stored session's scope in step with what the merchant granted. */
export async function recordScopesGranted(shop: string, scopes: string[]): Promise<void> {
  forgetCachedSessions(shop);
  await prisma.session.updateMany({ where: { shop }, data: { scope: scopes.join(",") } });
}

/** The piece of the Admin API client reading the shop's country needs. */
export interface ShopAdminGraphql {
  graphql(query: string): Promise<Response>;
}

/**
 * Where the shop's parcels ship from when a fulfillment does not say: carrier names mean
 * different carriers in different countries. Unknown or malformed leaves the stored one.
 */
export async function recordShopCountry(shop: string, countryCode: unknown): Promise<string | null> {
  const code =
    typeof countryCode === "string" && /^[A-Za-z]{2}$/.test(countryCode) ? countryCode.toUpperCase() : null;
  if (!code) return null;
  await prisma.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, countryCode: code },
    update: { countryCode: code },
  });
  return code;
}

/** At install: reads the shop's country from the Admin API. */
export async function syncShopCountry(shop: string, admin: ShopAdminGraphql): Promise<string | null> {
  const body = await adminRequest<TrackBridgeShopCountryQuery>(admin, SHOP_COUNTRY);
  return recordShopCountry(shop, body.data?.shop?.shopAddress?.countryCodeV2);
}
