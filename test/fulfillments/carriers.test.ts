import { describe, expect, it } from "vitest";
import { trackingNumberShape } from "~/models/carriers/carriers.server";
import { buildCatalog, SNAPSHOT_CARRIERS } from "~/models/carriers/catalog";
import {
  EMPTY_CARRIER_CONTEXT,
  overrideKey,
  resolveCarrier,
  type CarrierContext,
} from "~/models/carriers/resolve";

const code = (company: string | null, context: CarrierContext = EMPTY_CARRIER_CONTEXT, country?: string) =>
  resolveCarrier(company, context, country)?.carrierCode ?? null;

describe("resolveCarrier", () => {
  it("maps the common companies, tolerant of case and spacing", () => {
    expect(code("UPS")).toBe("ups");
    expect(code("  usps ")).toBe("usps");
    expect(code("dhl   express")).toBe("dhl");
    expect(code("Royal-Mail")).toBe("royal-mail");
    expect(code("Japan Post (EN)")).toBe("japan-post");
  });

  it("accepts TrackingMore's own codes and leaves unknown names to detection", () => {
    expect(code("china-ems")).toBe("china-ems");
    expect(code("Speedy Bulgarian Freight")).toBeNull();
    expect(code(null)).toBeNull();
    expect(code("   ")).toBeNull();
  });

  it("maps a name exactly matching a carrier of the account's live list, without a table entry", () => {
    const live = buildCatalog([
      ...SNAPSHOT_CARRIERS.map((c) => ({ code: c.code, name: c.name })),
      { code: "speedy-bg", name: "Speedy Bulgarian Freight" },
    ]);
    const context = { ...EMPTY_CARRIER_CONTEXT, catalog: live };
    expect(resolveCarrier("speedy  bulgarian freight", context)).toEqual({
      carrierCode: "speedy-bg",
      source: "carrier_list",
    });
    expect(live.name("speedy-bg")).toBe("Speedy Bulgarian Freight");
    expect(live.isLiveOnly("speedy-bg")).toBe(true);
    expect(live.isLiveOnly("ups")).toBe(false);
    // Without the live list the same name still goes to detection.
    expect(code("Speedy Bulgarian Freight")).toBeNull();
  });

  it("a country's override wins there, the every-country override elsewhere, then the table", () => {
    const context: CarrierContext = {
      ...EMPTY_CARRIER_CONTEXT,
      shopCountry: "DE",
      overrides: new Map([
        [overrideKey("", "DHL"), "dhl-benelux"],
        [overrideKey("AT", "dhl"), "austria-post"],
      ]),
    };
    expect(resolveCarrier("DHL", context, "AT")).toEqual({
      carrierCode: "austria-post",
      source: "shop_override",
    });
    expect(code("DHL", context, "FR")).toBe("dhl-benelux");
    expect(code("DHL", context)).toBe("dhl-benelux");
    const scopedOnly: CarrierContext = {
      ...context,
      overrides: new Map([[overrideKey("AT", "DHL"), "austria-post"]]),
    };
    expect(code("DHL", scopedOnly)).toBe("dhl-germany");
    expect(code("DHL", scopedOnly, "AT")).toBe("austria-post");
  });
});

describe("trackingNumberShape", () => {
  it("keeps what identifies a carrier and masks the rest", () => {
    expect(trackingNumberShape("LP00123456789CN")).toBe("LP99999999999CN");
    expect(trackingNumberShape("1Z999AA10123456784")).toBe("9Z999AA99999999999");
    expect(trackingNumberShape("1Z999AA10123456784")).toBe(trackingNumberShape("1Z123BB45678901234"));
    expect(trackingNumberShape("LP00123456789CN")).not.toBe(trackingNumberShape("RR00123456789GB"));
  });
});
