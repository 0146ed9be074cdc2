import { ValidationError } from "~/lib/errors.server";
import {
  carrierName,
  chineseCarrierName,
  loadCarrierCatalog,
  normaliseCompanyName,
  type CarrierCatalog,
} from "~/models/carriers/carriers.server";
import { listShopCarriers } from "./trackings-list.server";

// The carrier picker's search: the shop's carriers (its TrackingMore account's live list and the
// snapshot) matched by name, Chinese name or code, best matches first. The browser asks for a
// few at a time as the merchant types, so the full list (about 1,300 carriers) never ships.

export const CARRIER_SEARCH_LIMIT = 20;
export const CARRIER_SEARCH_MAX_QUERY = 100;

export interface CarrierOption {
  code: string;
  /** In the merchant's language. */
  name: string;
}

interface SearchKey {
  code: string;
  nameLength: number;
  /** Normalised English name, Chinese name (when there is one) and the code with spaces for dashes. */
  texts: string[];
}

// Normalised once per catalog: a catalog is rebuilt only when the shop's live list changes.
const keysByCatalog = new WeakMap<CarrierCatalog, SearchKey[]>();

function searchKeys(catalog: CarrierCatalog): SearchKey[] {
  let keys = keysByCatalog.get(catalog);
  if (!keys) {
    keys = catalog.carriers.map(({ code, name }) => ({
      code,
      nameLength: name.length,
      texts: [normaliseCompanyName(code), normaliseCompanyName(name), chineseCarrierName(code) ?? ""].filter(
        Boolean,
      ),
    }));
    keysByCatalog.set(catalog, keys);
  }
  return keys;
}

/** 0 is best: the whole text, then its start, then a word's start, then anywhere; null is no match. */
function rank(key: SearchKey, query: string): number | null {
  let best: number | null = null;
  for (const text of key.texts) {
    const at = text.indexOf(query);
    if (at < 0) continue;
    const score = text === query ? 0 : at === 0 ? 1 : text[at - 1] === " " ? 2 : 3;
    if (best === null || score < best) best = score;
  }
  return best;
}

/**
 * Up to `limit` carriers matching `query`, best first; among equals the shop's own carriers (the
 * ones its parcels use), then the shorter name. An empty query offers the shop's own carriers.
 */
export async function searchCarriers(
  shop: string,
  query: string,
  locale: string,
  limit: number = CARRIER_SEARCH_LIMIT,
): Promise<CarrierOption[]> {
  if (query.length > CARRIER_SEARCH_MAX_QUERY) throw new ValidationError({ q: "too_long" });
  const wanted = normaliseCompanyName(query);
  const take = Math.min(Math.max(Math.trunc(limit) || CARRIER_SEARCH_LIMIT, 1), CARRIER_SEARCH_LIMIT);
  const [catalog, used] = await Promise.all([loadCarrierCatalog(shop), listShopCarriers(shop)]);
  const option = (code: string): CarrierOption => ({ code, name: carrierName(code, locale, catalog) });
  const own = new Set(used);
  if (!wanted) return used.slice(0, take).map(option);

  const matches: { code: string; score: number; length: number }[] = [];
  for (const key of searchKeys(catalog)) {
    const score = rank(key, wanted);
    if (score !== null) matches.push({ code: key.code, score, length: key.nameLength });
  }
  matches.sort(
    (a, b) =>
      a.score - b.score ||
      Number(own.has(b.code)) - Number(own.has(a.code)) ||
      a.length - b.length ||
      a.code.localeCompare(b.code),
  );
  return matches.slice(0, take).map((match) => option(match.code));
}
