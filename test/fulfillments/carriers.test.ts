import { describe, expect, it } from "vitest";
import {
  carrierFromShopifyCompany,
  isKnownCarrierCode,
  trackingNumberShape,
} from "~/models/carriers/carriers.server";
import { SHOPIFY_COMPANY_TO_TRACKINGMORE } from "~/models/carriers/shopify-companies";

describe("Shopify tracking companies → TrackingMore carriers", () => {
  it("maps only to codes TrackingMore's carrier list has", () => {
    for (const [company, code] of Object.entries(SHOPIFY_COMPANY_TO_TRACKINGMORE)) {
      if (code) expect(isKnownCarrierCode(code), company).toBe(true);
    }
  });

  it("maps the common companies, tolerant of case and spacing", () => {
    expect(carrierFromShopifyCompany("UPS")).toBe("ups");
    expect(carrierFromShopifyCompany("  usps ")).toBe("usps");
    expect(carrierFromShopifyCompany("dhl   express")).toBe("dhl");
    expect(carrierFromShopifyCompany("Royal-Mail")).toBe("royal-mail");
    expect(carrierFromShopifyCompany("China Post")).toBe("china-post");
    expect(carrierFromShopifyCompany("YunExpress")).toBe("yunexpress");
    expect(carrierFromShopifyCompany("Japan Post (EN)")).toBe("japan-post");
  });

  it("accepts TrackingMore's own codes and leaves unknown names to detection", () => {
    expect(carrierFromShopifyCompany("china-ems")).toBe("china-ems");
    expect(carrierFromShopifyCompany("Speedy Bulgarian Freight")).toBeNull();
    expect(carrierFromShopifyCompany(null)).toBeNull();
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
