import { describe, expect, it } from "vitest";
import shopifyCompanies from "~/models/carriers/shopify-tracking-companies.json";
import { buildCatalog, SNAPSHOT_CATALOG, SNAPSHOT_CARRIERS } from "~/models/carriers/catalog";
import { EMPTY_CARRIER_CONTEXT, resolveCarrier, type CarrierContext } from "~/models/carriers/resolve";
import { COUNTRY_COMPANIES, GLOBAL_COMPANIES, OTHER_SPELLINGS } from "~/models/carriers/shopify-companies";

// The full table: every name Shopify lists (globally and per country) resolved for a parcel
// shipped from nowhere in particular and from each listed country. The expectations below are
// the reviewed mapping written out by hand (null: TrackingMore's detection decides); the
// implementation's table must agree with them row by row.

// The account's live list has the codes TrackingMore added after the 2020 snapshot.
const LIVE = [
  ...SNAPSHOT_CARRIERS.map((c) => ({ code: c.code, name: c.name })),
  { code: "amazon", name: "Amazon Logistics" },
  { code: "amazon-uk", name: "Amazon Shipping (UK)" },
];
const context: CarrierContext = { ...EMPTY_CARRIER_CONTEXT, catalog: buildCatalog(LIVE) };

const GLOBAL: Record<string, string | null> = {
  "4PX": "4px",
  AGS: null,
  Amazon: "amazon",
  "Amazon Logistics UK": "amazon-uk",
  "An Post": "an-post",
  "Anjun Logistics": "anjun",
  APC: "apc",
  "Asendia USA": "asendia-usa",
  "Australia Post": "australia-post",
  Bonshaw: null,
  BPost: "belgium-post",
  "BPost International": "belgium-post",
  "Canada Post": "canada-post",
  Canpar: "canpar",
  "CDL Last Mile": null,
  "China Post": "china-post",
  Chronopost: "chronopost",
  Chukou1: "chukou1",
  Colissimo: "colissimo",
  Comingle: null,
  Coordinadora: null,
  Correios: "brazil-correios",
  Correos: "correos-spain",
  CTT: "ctt",
  "CTT Express": null,
  "Cyprus Post": "cyprus-post",
  Delnext: null,
  "Deutsche Post": "deutsche-post",
  "DHL eCommerce": "dhlglobalmail",
  "DHL eCommerce Asia": "dhlecommerce-asia",
  "DHL Express": "dhl",
  DPD: "dpd",
  "DPD Local": "dpd-uk",
  "DPD UK": "dpd-uk",
  "DTD Express": null,
  DX: "dxdelivery",
  Eagle: null,
  Estes: "estes",
  Evri: "hermes-uk",
  FedEx: "fedex",
  "First Global Logistics": null,
  "First Line": null,
  FSC: null,
  Fulfilla: null,
  GLS: "gls",
  "Guangdong Weisuyi Information Technology (WSE)": "gdwse",
  "Heppner Internationale Spedition GmbH & Co.": null,
  "Iceland Post": "iceland-post",
  IDEX: "idexpress",
  "Israel Post": "israel-post",
  "Japan Post (EN)": "japan-post",
  "Japan Post (JA)": "japan-post",
  "La Poste Colissimo": "colissimo",
  "La Poste Burkina Faso": "sonapost",
  Lasership: "lasership",
  "Latvia Post": "latvijas-pasts",
  "Lietuvos Paštas": "lietuvos-pastas",
  Logisters: null,
  "Lone Star Overnight": null,
  "M3 Logistics": null,
  "Meteor Space": null,
  "Mondial Relay": "mondialrelay",
  "New Zealand Post": "new-zealand-post",
  NinjaVan: "ninjavan",
  "North Russia Supply Chain (Shenzhen) Co.": null,
  OnTrac: "ontrac",
  Packeta: null,
  "Pago Logistics": null,
  "Ping An Da Tengfei Express": null,
  "Pitney Bowes": "pitneybowes",
  "Portal PostNord": null,
  "Poste Italiane": "poste-italiane",
  PostNL: "postnl-parcels",
  "PostNord DK": "denmark-post",
  "PostNord NO": null,
  "PostNord SE": "sweden-posten",
  Purolator: "purolator",
  Qxpress: "qxpress",
  "Qyun Express": null,
  "Royal Mail": "royal-mail",
  "Royal Shipments": "royal-shipments",
  "Sagawa (EN)": "sagawa",
  "Sagawa (JA)": "sagawa",
  Sendle: "sendle",
  "SF Express": "sf-express",
  "SFC Fulfillment": "sfcservice",
  "SHREE NANDAN COURIER": null,
  "Singapore Post": "singapore-post",
  "Southwest Air Cargo": null,
  StarTrack: "star-track",
  "Step Forward Freight": null,
  "Swiss Post": "swiss-post",
  "TForce Final Mile": null,
  Tinghao: null,
  TNT: "tnt",
  "Toll IPEC": "toll-ipec",
  "United Delivery Service": null,
  UPS: "ups",
  USPS: "usps",
  Venipak: "venipak",
  "We Post": null,
  Whistl: "whistl",
  Wizmo: null,
  WMYC: null,
  Xpedigo: null,
  "XPO Logistics": null,
  "Yamato (EN)": "taqbin-jp",
  "Yamato (JA)": "taqbin-jp",
  "YiFan Express": null,
  YunExpress: "yunexpress",
};

const BY_COUNTRY: Record<string, Record<string, string | null>> = {
  AU: {
    "Australia Post": "australia-post",
    Sendle: "sendle",
    "Aramex Australia": "fastway-au",
    "TNT Australia": "tnt-au",
    "Hunter Express": null,
    "Couriers Please": "couriers-please",
    Bonds: "bondscouriers",
    "Allied Express": null,
    "Direct Couriers": null,
    Northline: null,
    "GO Logistics": null,
  },
  AT: { "Österreichische Post": "austria-post" },
  BG: { Speedy: null },
  CA: { Intelcom: null, BoxKnight: null, Loomis: null, GLS: "gls" },
  CN: {
    "China Post": "china-post",
    "DHL eCommerce Asia": "dhlecommerce-asia",
    WanbExpress: "wanbexpress",
    YunExpress: "yunexpress",
    "Anjun Logistics": "anjun",
    "SFC Fulfillment": "sfcservice",
    FSC: null,
  },
  CZ: { Zásilkovna: null },
  DE: {
    "Deutsche Post (DE)": "deutsche-post",
    "Deutsche Post (EN)": "deutsche-post",
    DHL: "dhl-germany",
    "DHL Express": "dhl",
    Swiship: null,
    Hermes: "hermes-de",
    GLS: "gls",
  },
  ES: { SEUR: "international-seur" },
  FR: { Colissimo: "colissimo", "Mondial Relay": "mondialrelay", "Colis Privé": "colis-prive", GLS: "gls" },
  GB: {
    Evri: "hermes-uk",
    "DPD UK": "dpd-uk",
    Parcelforce: "parcel-force",
    Yodel: "yodel",
    "DHL Parcel": "dhl-uk",
    Tuffnells: "tuffnells",
  },
  GR: { "ACS Courier": "acscourier" },
  HK: { "SF Express": "sf-express" },
  IE: { Fastway: "fastway-ie", "DPD Ireland": "dpd-ireland" },
  IN: {
    DTDC: "dtdc",
    "India Post": "india-post",
    Delhivery: "delhivery",
    "Gati KWE": "gati-kwe",
    "Professional Couriers": "professional-couriers",
    XpressBees: "xpressbees",
    "Ecom Express": "ecom-express",
    Ekart: null,
    Shadowfax: null,
    Bluedart: "bluedart",
  },
  IT: { BRT: "bartolini", "GLS Italy": "gls-italy" },
  JP: {
    エコ配: null,
    西濃運輸: null,
    西濃スーパーエキスプレス: null,
    福山通運: null,
    日本通運: "nippon",
    名鉄運輸: null,
    第一貨物: null,
  },
  NL: { "DHL Parcel": "dhl-parcel-nl", DPD: "dpd" },
  NO: { Bring: "posten-norge" },
  PL: { Inpost: "inpost-paczkomaty" },
  TR: { PTT: "turkey-post", "Yurtiçi Kargo": null, "Aras Kargo": null, "Sürat Kargo": null },
  US: {
    GLS: "gls",
    "Alliance Air Freight": null,
    "Pilot Freight": null,
    LSO: null,
    "Old Dominion": "old-dominion",
    Pandion: null,
    "R+L Carriers": "rl-carriers",
    "Southwest Air Cargo": null,
  },
  ZA: { Fastway: null, Skynet: null },
};

/** Names only some countries list, read from a country that does not list them. */
const ELSEWHERE: Record<string, string | null> = {
  DHL: "dhl", // outside Germany a bare "DHL" is DHL Express
  "DHL Parcel": null, // the Dutch and the UK service are different carriers
  Fastway: null, // Fastway Ireland and Fastway South Africa are different carriers
  Hermes: null, // Hermes UK (now Evri) or Hermes Germany
};

const COUNTRIES = Object.keys(shopifyCompanies.by_country);
const countryOnly = [...new Set(Object.values(BY_COUNTRY).flatMap((names) => Object.keys(names)))].filter(
  (name) => !(name in GLOBAL),
);

function expected(name: string, country: string | null): string | null {
  const listed = country ? BY_COUNTRY[country]?.[name] : undefined;
  if (listed !== undefined) return listed;
  if (name in GLOBAL) return GLOBAL[name];
  if (name in ELSEWHERE) return ELSEWHERE[name];
  // Every country listing the name agrees on its meaning.
  const meanings = new Set(
    Object.values(BY_COUNTRY).flatMap((names) => (name in names ? [names[name]] : [])),
  );
  expect(meanings.size, name).toBe(1);
  return [...meanings][0];
}

const rows = [...Object.keys(GLOBAL), ...countryOnly].flatMap((name) =>
  [null, ...COUNTRIES].map((country) => [name, country ?? "(any)", expected(name, country)] as const),
);

describe("every Shopify company name × country → TrackingMore carrier", () => {
  it("covers exactly Shopify's lists", () => {
    expect(Object.keys(GLOBAL)).toEqual(shopifyCompanies.global);
    expect(Object.keys(GLOBAL_COMPANIES)).toEqual(shopifyCompanies.global);
    for (const [country, names] of Object.entries(shopifyCompanies.by_country)) {
      expect(Object.keys(BY_COUNTRY[country]), country).toEqual(names);
      expect(Object.keys(COUNTRY_COMPANIES[country]), country).toEqual(names);
    }
    expect(rows.length).toBe((shopifyCompanies.global.length + countryOnly.length) * (COUNTRIES.length + 1));
  });

  it.each(rows)("%s shipped from %s → %s", (name, country, code) => {
    const resolved = resolveCarrier(name, context, country === "(any)" ? null : country);
    expect(resolved?.carrierCode ?? null).toBe(code);
    if (code) expect(resolved?.source).toBe("shopify_table");
  });

  it("reviews every entry: a code TrackingMore has, or detection with its reason", () => {
    const entries = [
      ...Object.entries(GLOBAL_COMPANIES),
      ...Object.values(COUNTRY_COMPANIES).flatMap((names) => Object.entries(names)),
      ...Object.entries(OTHER_SPELLINGS),
    ];
    for (const [name, entry] of entries) {
      if ("detect" in entry) expect(entry.detect.length, name).toBeGreaterThan(10);
      else if (entry.live) expect(SNAPSHOT_CATALOG.has(entry.code), name).toBe(false);
      else expect(SNAPSHOT_CATALOG.has(entry.code), `${name} → ${entry.code}`).toBe(true);
    }
  });
});

describe("the named cases", () => {
  const from = (name: string, country: string | null) =>
    resolveCarrier(name, context, country)?.carrierCode ?? null;

  it("a German shop's DHL is DHL Paket, elsewhere DHL Express", () => {
    expect(from("DHL", "DE")).toBe("dhl-germany");
    expect(from("DHL Express", "DE")).toBe("dhl");
    expect(from("DHL", "US")).toBe("dhl");
    // The shop's own country applies when the fulfillment does not say where it ships from.
    expect(resolveCarrier("DHL", { ...context, shopCountry: "DE" })?.carrierCode).toBe("dhl-germany");
    expect(resolveCarrier("DHL", { ...context, shopCountry: "DE" }, "FR")?.carrierCode).toBe("dhl");
  });

  it("PostNord NO is not Posten Norge; PostNord DK is Denmark's post", () => {
    expect(from("PostNord NO", null)).toBeNull();
    expect(from("PostNord NO", "NO")).not.toBe("posten-norge");
    expect(from("PostNord DK", null)).toBe("denmark-post");
  });

  it("DHL Parcel is the UK service for UK shops and the Dutch one for Dutch shops", () => {
    expect(from("DHL Parcel", "GB")).toBe("dhl-uk");
    expect(from("DHL Parcel", "NL")).toBe("dhl-parcel-nl");
    expect(from("DHL Parcel", "US")).toBeNull();
  });

  it("Amazon Logistics maps when the account's live list has Amazon, else detection decides", () => {
    expect(from("Amazon Logistics", "US")).toBe("amazon");
    expect(from("Amazon", null)).toBe("amazon");
    expect(resolveCarrier("Amazon Logistics", EMPTY_CARRIER_CONTEXT, "US")).toBeNull();
  });
});
