import prisma from "~/db.server";
import { SHOPIFY_COMPANY_TO_TRACKINGMORE } from "./shopify-companies";
import trackingMoreCarriers from "./trackingmore-carriers.json";

// Which TrackingMore carrier a parcel belongs to: Shopify's company name through our table,
// then the shop's own overrides (which win: the merchant knows their contract best), then
// TrackingMore's detection, cached per number shape.

export interface TrackingMoreCarrier {
  code: string;
  name: string;
  name_cn: string;
  homepage: string;
  type: string;
}

export const TRACKINGMORE_CARRIERS: readonly TrackingMoreCarrier[] = trackingMoreCarriers;
const KNOWN_CODES = new Set(TRACKINGMORE_CARRIERS.map((c) => c.code));

export function isKnownCarrierCode(code: string): boolean {
  return KNOWN_CODES.has(code);
}

/** Case, accents-insensitive spacing and punctuation: "dhl  express", "DHL-Express" → "dhl express". */
export function normaliseCompanyName(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\-_.,/()]+/g, " ")
    .trim();
}

const TABLE = new Map(
  Object.entries(SHOPIFY_COMPANY_TO_TRACKINGMORE).map(([company, code]) => [
    normaliseCompanyName(company),
    code,
  ]),
);

/** Whether Shopify builds tracking links for this company itself (its supported list). */
export function isCompanyKnownToShopify(company: string | null | undefined): boolean {
  return !!company && TABLE.has(normaliseCompanyName(company));
}

export type CarrierSource = "shopify_table" | "shop_override" | "detected" | "merchant";

export interface ResolvedCarrier {
  carrierCode: string;
  source: CarrierSource;
}

/** The built-in table only: a code, or null when Shopify's name has no TrackingMore code. */
export function carrierFromShopifyCompany(company: string | null | undefined): string | null {
  if (!company) return null;
  const normalised = normaliseCompanyName(company);
  const mapped = TABLE.get(normalised);
  if (mapped) return mapped;
  // A company typed as TrackingMore's own code ("yunexpress", "china-post") is taken as is.
  const asCode = normalised.replace(/ /g, "-");
  return KNOWN_CODES.has(asCode) ? asCode : null;
}

export type CarrierOverrides = ReadonlyMap<string, string>;

export async function loadCarrierOverrides(shop: string): Promise<CarrierOverrides> {
  const rows = await prisma.carrierOverride.findMany({
    where: { shop },
    select: { trackingCompany: true, carrierCode: true },
  });
  return new Map(rows.map((row) => [normaliseCompanyName(row.trackingCompany), row.carrierCode]));
}

export function resolveCarrier(
  company: string | null | undefined,
  overrides: CarrierOverrides,
): ResolvedCarrier | null {
  if (company) {
    const override = overrides.get(normaliseCompanyName(company));
    if (override) return { carrierCode: override, source: "shop_override" };
  }
  const fromTable = carrierFromShopifyCompany(company);
  return fromTable ? { carrierCode: fromTable, source: "shopify_table" } : null;
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

export async function rememberDetection(trackingNumber: string, carrierCode: string): Promise<void> {
  const shape = trackingNumberShape(trackingNumber);
  await prisma.carrierDetectionCache.upsert({
    where: { shape },
    create: { shape, carrierCode },
    update: { carrierCode },
  });
}
