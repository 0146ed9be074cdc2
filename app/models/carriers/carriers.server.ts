import prisma from "~/db/client.server";
import {
  buildCatalog,
  normaliseCompanyName,
  SNAPSHOT_CARRIERS,
  SNAPSHOT_CATALOG,
  type CarrierCatalog,
} from "./catalog";
import { COUNTRY_COMPANIES, GLOBAL_COMPANIES, OTHER_SPELLINGS } from "./shopify-companies";
import { loadLiveCarriers } from "./carrier-list.server";
import { normaliseCountry, overrideKey, type CarrierContext } from "./resolve";

// Which TrackingMore carrier a parcel belongs to: the shop's overrides (the merchant knows their
// contract best), then the reviewed table of Shopify's names for the country the parcel ships
// from (resolve.ts), then the account's carrier list, then TrackingMore's detection, cached per
// number shape.

export {
  normaliseCompanyName,
  SNAPSHOT_CATALOG,
  type TrackingMoreCarrier,
  type CarrierCatalog,
} from "./catalog";
export {
  resolveCarrier,
  EMPTY_CARRIER_CONTEXT,
  type CarrierContext,
  type CarrierOverrides,
  type CarrierSource,
  type ResolvedCarrier,
} from "./resolve";

// Built catalogs by shop, valid while the shop's live list is unchanged: ingest asks per batch.
const catalogs = new Map<string, { fetchedAt: number; catalog: CarrierCatalog }>();

export async function loadCarrierCatalog(shop: string): Promise<CarrierCatalog> {
  const stamp = await prisma.carrierListCache.findUnique({ where: { shop }, select: { fetchedAt: true } });
  if (!stamp?.fetchedAt) return SNAPSHOT_CATALOG;
  const cached = catalogs.get(shop);
  if (cached && cached.fetchedAt === stamp.fetchedAt.getTime()) return cached.catalog;
  const catalog = buildCatalog(await loadLiveCarriers(shop));
  catalogs.set(shop, { fetchedAt: stamp.fetchedAt.getTime(), catalog });
  return catalog;
}

/** Everything resolving a company name needs for one shop. */
export async function loadCarrierContext(shop: string): Promise<CarrierContext> {
  const [rows, catalog, shopRow] = await Promise.all([
    prisma.carrierOverride.findMany({
      where: { shop },
      select: { trackingCompany: true, country: true, carrierCode: true },
    }),
    loadCarrierCatalog(shop),
    prisma.shop.findUnique({ where: { domain: shop }, select: { countryCode: true } }),
  ]);
  return {
    overrides: new Map(rows.map((row) => [overrideKey(row.country, row.trackingCompany), row.carrierCode])),
    catalog,
    shopCountry: normaliseCountry(shopRow?.countryCode),
  };
}

/**
 * A tracking number's shape, for caching detection: digits become 9, letters inside become A,
 * a leading or trailing pair of letters (UPU's "LP…CN", UPS's "1Z…") is kept as is.
 */
export function trackingNumberShape(trackingNumber: string): string {
  const value = trackingNumber.trim().toUpperCase();
  const prefix = value.slice(0, 2);
  const suffix = value.length > 4 ? value.slice(-2) : "";
  const middle = value.slice(2, value.length - suffix.length);
  const mask = (s: string) => s.replace(/[0-9]/g, "9").replace(/[A-Z]/g, "A");
  const keepLetters = (s: string) => s.replace(/[0-9]/g, "9");
  return `${keepLetters(prefix)}${mask(middle)}${keepLetters(suffix)}`;
}

export async function cachedDetection(trackingNumber: string): Promise<string | null> {
  const row = await prisma.carrierDetectionCache.findUnique({
    where: { shape: trackingNumberShape(trackingNumber) },
  });
  return row?.carrierCode ?? null;
}

/** Every carrier detection offered for this number's shape, most likely first; null if never asked. */
export async function cachedCandidates(trackingNumber: string): Promise<string[] | null> {
  const row = await prisma.carrierDetectionCache.findUnique({
    where: { shape: trackingNumberShape(trackingNumber) },
    select: { carrierCode: true, candidates: true },
  });
  if (!row?.candidates) return null;
  try {
    const parsed: unknown = JSON.parse(row.candidates);
    return Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === "string") : null;
  } catch {
    return null;
  }
}

export async function rememberDetection(
  trackingNumber: string,
  carrierCode: string,
  candidates?: readonly string[],
): Promise<void> {
  const shape = trackingNumberShape(trackingNumber);
  const list = candidates ? JSON.stringify(candidates) : undefined;
  await prisma.carrierDetectionCache.upsert({
    where: { shape },
    create: { shape, carrierCode, candidates: list },
    update: { carrierCode, ...(list ? { candidates: list } : {}) },
  });
}

const SNAPSHOT_BY_CODE = new Map(SNAPSHOT_CARRIERS.map((carrier) => [carrier.code, carrier]));
const HAN = /\p{Script=Han}/u;

/** TrackingMore's Chinese name, when it is one: about a hundred are the Latin name or the code again. */
export function chineseCarrierName(code: string): string | null {
  const nameCn = SNAPSHOT_BY_CODE.get(code)?.name_cn;
  return nameCn && HAN.test(nameCn) ? nameCn : null;
}

/**
 * The carrier's name in the merchant's language: TrackingMore's Chinese name for zh, else the
 * name from the shop's catalog (live list first), else the code itself.
 */
export function carrierName(
  code: string,
  locale: string,
  catalog: CarrierCatalog = SNAPSHOT_CATALOG,
): string {
  const chinese = locale.startsWith("zh") ? chineseCarrierName(code) : null;
  return chinese ?? catalog.name(code) ?? code;
}

/** Names for one shop's carriers in one language: the catalog is read once, names looked up per row. */
export async function loadCarrierNamer(shop: string, locale: string): Promise<(code: string) => string> {
  const catalog = await loadCarrierCatalog(shop);
  return (code) => carrierName(code, locale, catalog);
}

const SHOPIFY_COMPANY_NAMES = new Set(
  [
    ...Object.keys(GLOBAL_COMPANIES),
    ...Object.values(COUNTRY_COMPANIES).flatMap((companies) => Object.keys(companies)),
    ...Object.keys(OTHER_SPELLINGS),
  ].map(normaliseCompanyName),
);

/** Whether Shopify builds tracking links for this company itself (one of its supported names). */
export function isCompanyKnownToShopify(company: string | null | undefined): boolean {
  return !!company && SHOPIFY_COMPANY_NAMES.has(normaliseCompanyName(company));
}
