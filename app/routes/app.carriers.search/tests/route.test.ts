import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { CARRIER_SEARCH_LIMIT, searchCarriers } from "~/models/admin/carrier-search.server";
import { installShop, seedLocalTracking } from "../../../../test/support/admin-fixtures";
import { callRoute } from "../../../../test/support/routes";
import { embeddedFetchRequest } from "../../../../test/support/shopify";
import { loader } from "../route";

const shop = "carrier-search.myshopify.com";
const otherShop = "carrier-search-other.myshopify.com";

type SearchData = { ok: boolean; carriers?: { code: string; name: string }[]; fieldErrors?: object };

const search = async (query: string, asShop = shop) => {
  const response = await callRoute(
    loader,
    embeddedFetchRequest(`/app/carriers/search?q=${encodeURIComponent(query)}`, asShop),
  );
  return { status: response.status, data: (await response.json()) as SearchData };
};
const codes = (data: SearchData) => data.carriers?.map((c) => c.code) ?? [];

beforeEach(async () => {
  await prisma.tracking.deleteMany();
  await prisma.carrierListCache.deleteMany();
  await installShop(shop);
  await installShop(otherShop);
});

describe("GET /app/carriers/search", () => {
  it("finds carriers by code, name and Chinese name, the exact code first, with their names", async () => {
    const dhl = await search("dhl");
    expect(dhl.status).toBe(200);
    expect(dhl.data.carriers?.[0]).toEqual({ code: "dhl", name: "DHL" });
    expect(codes(dhl.data)).toEqual(expect.arrayContaining(["dhl-germany", "dhlglobalmail"]));

    expect(codes((await search("deutsche post dhl")).data)[0]).toBe("dhl-germany");
    expect(codes((await search("顺丰")).data)).toEqual(["sf-express", "sfb2c"]);
    expect(codes((await search("sf")).data)).toEqual(expect.arrayContaining(["sf-express", "sfb2c"]));
    expect((await search("zzzz-no-such-carrier")).data.carriers).toEqual([]);
  });

  it("answers at most twenty", async () => {
    const many = await search("e");
    expect(many.data.carriers).toHaveLength(CARRIER_SEARCH_LIMIT);
  });

  it("names carriers in the merchant's language", async () => {
    const response = await callRoute(
      loader,
      embeddedFetchRequest(`/app/carriers/search?q=sf-express&locale=zh-CN`, shop),
    );
    const data = (await response.json()) as SearchData;
    expect(data.carriers?.[0]).toEqual({ code: "sf-express", name: "顺丰速运" });
  });

  it("offers the shop's own carriers for an empty search, and its live list's carriers only to it", async () => {
    await seedLocalTracking(shop); // usps
    await prisma.tracking.create({
      data: {
        shop: otherShop,
        orderId: "1",
        trackingNumber: "OTHER1",
        carrierCode: "hermes-de",
        status: "pending",
      },
    });
    expect(codes((await search("")).data)).toEqual(["usps"]);
    expect(codes((await search("", otherShop)).data)).toEqual(["hermes-de"]);

    await prisma.carrierListCache.create({
      data: {
        shop,
        fetchedAt: new Date(),
        carriers: JSON.stringify([{ code: "speedy-bg", name: "Speedy Bulgaria" }]),
      },
    });
    expect((await search("speedy")).data.carriers).toEqual([{ code: "speedy-bg", name: "Speedy Bulgaria" }]);
    expect((await search("speedy", otherShop)).data.carriers).toEqual([]);
  });

  it("ranks the shop's own carriers first among equal matches", async () => {
    const before = (await searchCarriers(shop, "dhl", "en")).map((c) => c.code);
    await prisma.tracking.create({
      data: { shop, orderId: "2", trackingNumber: "DE1", carrierCode: "dhl-uk", status: "pending" },
    });
    const after = await searchCarriers(shop, "dhl", "en");
    expect(after[0].code).toBe("dhl");
    expect(after[1].code).toBe("dhl-uk");
    expect(before[1]).not.toBe("dhl-uk");
  });

  it("refuses an overlong search with a field error", async () => {
    const long = await search("x".repeat(101));
    expect(long.status).toBe(422);
    expect(long.data).toEqual({ ok: false, fieldErrors: { q: "too_long" } });
  });

  it("needs a session token", async () => {
    const response = await callRoute(loader, new Request("http://localhost/app/carriers/search?q=dhl"));
    expect(response.status).not.toBe(200);
  });
});
