import { readFileSync } from "node:fs";

export interface CarrierRecord {
  code: string;
  name: string;
  name_cn: string;
  homepage: string;
  type: "express" | "globalpost";
}

// Read once at import: the request path must never touch the disk. The app's copy of
// TrackingMore's carrier list is the one list both use.
const records: CarrierRecord[] = JSON.parse(
  readFileSync(new URL("../../app/models/carriers/trackingmore-carriers.json", import.meta.url), "utf8"),
);
const byCode = new Map(records.map((c) => [c.code, c]));

function toWire(c: CarrierRecord, chinese: boolean) {
  return {
    name: chinese && c.name_cn ? c.name_cn : c.name,
    code: c.code,
    phone: "",
    homepage: c.homepage,
    type: c.type,
    picture: `//s.trackingmore.com/images/icons/express/${c.code}.png`,
  };
}
const englishList = records.map((c) => toWire(c, false));
const chineseList = records.map((c) => toWire(c, true));

export function carrierList(lang: string | undefined) {
  return lang && /^(cn|zh)/i.test(lang) ? chineseList : englishList;
}

export function findCarrier(code: string): CarrierRecord | undefined {
  return byCode.get(code);
}

/** UPU S10 suffix → the national post, most likely first. */
const POST_BY_COUNTRY: Record<string, string[]> = {
  CN: ["china-post", "cainiao"],
  GB: ["royal-mail", "parcel-force"],
  US: ["usps"],
  DE: ["deutsche-post", "dhl-germany"],
  FR: ["laposte", "colissimo"],
  CA: ["canada-post"],
  AU: ["australia-post"],
  JP: ["japan-post"],
  KR: ["korea-post"],
  SG: ["singapore-post"],
  HK: ["hong-kong-post"],
  IN: ["india-post"],
  IT: ["poste-italiane"],
  ES: ["correos-spain"],
  NL: ["postnl-parcels", "netherlands-post"],
  CH: ["swiss-post"],
  BE: ["belgium-post"],
  BR: ["brazil-correios"],
  RU: ["russian-post"],
  NZ: ["new-zealand-post"],
  SE: ["sweden-posten"],
  NO: ["posten-norge"],
};

const UPU = /^[A-Z]{2}\d{9}([A-Z]{2})$/;

/** Number-shape rules for the common carriers, tried in order; first match wins a place first. */
const RULES: { pattern: RegExp; codes: string[] }[] = [
  { pattern: /^1Z[0-9A-Z]{16}$/, codes: ["ups"] },
  { pattern: /^9\d{21}$/, codes: ["usps"] },
  { pattern: /^\d{20,22}$/, codes: ["usps", "fedex"] },
  { pattern: /^SF\d{12}$/, codes: ["sf-express"] },
  { pattern: /^YT\d{16}$/, codes: ["yunexpress"] },
  { pattern: /^4PX[0-9A-Z]{6,}$/, codes: ["4px"] },
  { pattern: /^LP\d{12,16}$/, codes: ["cainiao"] },
  { pattern: /^(UG|VR|YW)\d{9}(YW|CN)?$/, codes: ["yanwen"] },
  { pattern: /^E[A-Z]\d{9}CN$/, codes: ["china-ems", "china-post"] },
  { pattern: /^\d{15}$/, codes: ["fedex"] },
  { pattern: /^\d{12}$/, codes: ["fedex", "sto"] },
  { pattern: /^\d{10}$/, codes: ["dhl"] },
];

export function detectCarriers(trackingNumber: string): { name: string; code: string }[] {
  const number = trackingNumber.trim().toUpperCase();
  const codes: string[] = [];
  for (const rule of RULES) if (rule.pattern.test(number)) codes.push(...rule.codes);
  const upu = UPU.exec(number);
  if (upu) codes.push(...(POST_BY_COUNTRY[upu[1]] ?? []));
  const seen = new Set<string>();
  const out: { name: string; code: string }[] = [];
  for (const code of codes) {
    const record = byCode.get(code);
    if (record && !seen.has(code)) {
      seen.add(code);
      out.push({ name: record.name, code });
    }
  }
  return out;
}
