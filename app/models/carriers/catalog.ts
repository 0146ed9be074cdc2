import trackingMoreCarriers from "./trackingmore-carriers.json";

// The carriers a shop's TrackingMore account knows: the shipped 2020 snapshot merged with the
// account's live list (GET /carriers, refreshed daily by carrier-list.server.ts). The live list
// adds carriers TrackingMore created since and gives current names; the snapshot keeps working
// when the live list has never been fetched.

export interface TrackingMoreCarrier {
  code: string;
  name: string;
  name_cn: string;
  homepage: string;
  type: string;
}

export interface LiveCarrier {
  code: string;
  name: string;
}

export const SNAPSHOT_CARRIERS: readonly TrackingMoreCarrier[] = trackingMoreCarriers;

/** Case, spacing and punctuation insensitive: "dhl  express", "DHL-Express" → "dhl express". */
export function normaliseCompanyName(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\-_.,/()]+/g, " ")
    .trim();
}

export interface CarrierCatalog {
  has(code: string): boolean;
  /** The carrier's name, the live one when the account's list has it. */
  name(code: string): string | null;
  /** The one carrier whose name is exactly this (normalised); null when none or several. */
  codeForName(company: string): string | null;
  /** Whether the code came from the account's live list and not the snapshot. */
  isLiveOnly(code: string): boolean;
  /** Every carrier, with its current name: for searching the catalog. */
  readonly carriers: readonly LiveCarrier[];
  readonly size: number;
}

export function buildCatalog(live: readonly LiveCarrier[] | null = null): CarrierCatalog {
  const names = new Map<string, string>(SNAPSHOT_CARRIERS.map((c) => [c.code, c.name]));
  const liveOnly = new Set<string>();
  for (const carrier of live ?? []) {
    if (!carrier.code) continue;
    if (!names.has(carrier.code)) liveOnly.add(carrier.code);
    names.set(carrier.code, carrier.name || names.get(carrier.code) || carrier.code);
  }
  const byName = new Map<string, string | null>();
  for (const [code, name] of names) {
    const key = normaliseCompanyName(name);
    // Two carriers sharing a name ("Pitney Bowes") say nothing about which one is meant.
    byName.set(key, byName.has(key) && byName.get(key) !== code ? null : code);
  }
  return {
    has: (code) => names.has(code),
    name: (code) => names.get(code) ?? null,
    codeForName: (company) => byName.get(normaliseCompanyName(company)) ?? null,
    isLiveOnly: (code) => liveOnly.has(code),
    carriers: [...names].map(([code, name]) => ({ code, name })),
    size: names.size,
  };
}

/** The snapshot alone: for code paths that have no shop (and tests). */
export const SNAPSHOT_CATALOG: CarrierCatalog = buildCatalog();
