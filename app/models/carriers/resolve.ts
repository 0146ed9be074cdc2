import { normaliseCompanyName, SNAPSHOT_CATALOG, type CarrierCatalog } from "./catalog";
import { COUNTRY_COMPANIES, GLOBAL_COMPANIES, OTHER_SPELLINGS, type CompanyEntry } from "./shopify-companies";

// Pure: which TrackingMore carrier a Shopify company name means for a parcel shipped from a
// given country. In order: the shop's override for that country, the shop's override for every
// country, Shopify's list for that country, Shopify's global list, older spellings, the meaning
// the name has in the other countries that list it (when they agree), a carrier of the
// account's list with exactly that name, and a company typed as a TrackingMore code. Anything
// else (and every "detect" entry) goes to TrackingMore's detection.

export type CarrierSource = "shopify_table" | "shop_override" | "carrier_list" | "detected" | "merchant";

export interface ResolvedCarrier {
  carrierCode: string;
  source: CarrierSource;
}

/** Overrides keyed by overrideKey(country, company); country "" applies everywhere. */
export type CarrierOverrides = ReadonlyMap<string, string>;

export interface CarrierContext {
  overrides: CarrierOverrides;
  catalog: CarrierCatalog;
  /** The shop's own country: where its parcels ship from when the fulfillment does not say. */
  shopCountry: string | null;
}

export const EMPTY_CARRIER_CONTEXT: CarrierContext = {
  overrides: new Map(),
  catalog: SNAPSHOT_CATALOG,
  shopCountry: null,
};

export function overrideKey(country: string | null | undefined, company: string): string {
  return `${(country ?? "").toUpperCase()}\u0000${normaliseCompanyName(company)}`;
}

export function normaliseCountry(value: unknown): string | null {
  return typeof value === "string" && /^[A-Za-z]{2}$/.test(value.trim()) ? value.trim().toUpperCase() : null;
}

const normalisedTable = (table: Readonly<Record<string, CompanyEntry>>) =>
  new Map(Object.entries(table).map(([name, entry]) => [normaliseCompanyName(name), entry]));

const GLOBAL = normalisedTable(GLOBAL_COMPANIES);
const SPELLINGS = normalisedTable(OTHER_SPELLINGS);
const BY_COUNTRY = new Map(
  Object.entries(COUNTRY_COMPANIES).map(([country, table]) => [country, normalisedTable(table)]),
);

const sameMeaning = (a: CompanyEntry, b: CompanyEntry) =>
  ("code" in a ? a.code : null) === ("code" in b ? b.code : null);

/** A name only some countries list, read from elsewhere: its meaning if they all agree. */
const ELSEWHERE = new Map<string, CompanyEntry>();
{
  const meanings = new Map<string, CompanyEntry[]>();
  for (const table of BY_COUNTRY.values())
    for (const [name, entry] of table) meanings.set(name, [...(meanings.get(name) ?? []), entry]);
  for (const [name, entries] of meanings) {
    const agreed = entries.every((e) => sameMeaning(e, entries[0]));
    ELSEWHERE.set(name, agreed ? entries[0] : { detect: "Means different carriers in different countries" });
  }
}

export type TableScope = "country" | "global" | "spelling" | "elsewhere";

/** The reviewed table's entry for a name shipped from a country, and where it was found. */
export function tableEntry(
  company: string,
  country: string | null,
): { entry: CompanyEntry; scope: TableScope } | null {
  const name = normaliseCompanyName(company);
  const inCountry = country ? BY_COUNTRY.get(country)?.get(name) : undefined;
  if (inCountry) return { entry: inCountry, scope: "country" };
  const global = GLOBAL.get(name);
  if (global) return { entry: global, scope: "global" };
  const spelling = SPELLINGS.get(name);
  if (spelling) return { entry: spelling, scope: "spelling" };
  const elsewhere = ELSEWHERE.get(name);
  return elsewhere ? { entry: elsewhere, scope: "elsewhere" } : null;
}

export function resolveCarrier(
  company: string | null | undefined,
  context: CarrierContext,
  originCountry?: string | null,
): ResolvedCarrier | null {
  if (!company?.trim()) return null;
  const country = normaliseCountry(originCountry) ?? context.shopCountry;
  const override =
    (country ? context.overrides.get(overrideKey(country, company)) : undefined) ??
    context.overrides.get(overrideKey("", company));
  if (override) return { carrierCode: override, source: "shop_override" };

  const found = tableEntry(company, country);
  if (found) {
    const { entry } = found;
    // A live-only code the account's list does not (yet) have would be refused: detect instead.
    if ("code" in entry && context.catalog.has(entry.code))
      return { carrierCode: entry.code, source: "shopify_table" };
    return null;
  }
  const byName = context.catalog.codeForName(company);
  if (byName) return { carrierCode: byName, source: "carrier_list" };
  // A company typed as TrackingMore's own code ("yunexpress", "china-post") is taken as is.
  const asCode = normaliseCompanyName(company).replace(/ /g, "-");
  return context.catalog.has(asCode) ? { carrierCode: asCode, source: "carrier_list" } : null;
}
