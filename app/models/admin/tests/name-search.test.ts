import { beforeEach, describe, expect, it } from "vitest";
import { appConfig } from "~/config.server";
import prisma from "~/db/client.server";
import { redactCustomer } from "~/models/privacy.server";
import { customerNameMatches, NAME_MATCH_CAP } from "../name-search.server";
import { listTrackings, parseTrackingListQuery } from "../trackings-list.server";

// The customer-name search indexes (SQLite FTS5 trigrams / PostgreSQL pg_trgm, and for one or two
// characters the short-query index), kept in step by the database itself on every write:
// inserts, edits, redaction, deletion; scoped by shop.

const shop = "name-search.myshopify.com";
const otherShop = "name-search-other.myshopify.com";
let counter = 0;

async function seed(customerName: string | null, inShop = shop) {
  counter += 1;
  return prisma.tracking.create({
    data: {
      shop: inShop,
      orderId: String(9000 + counter),
      orderName: `#${9000 + counter}`,
      trackingNumber: `NS${String(counter).padStart(8, "0")}`,
      customerName,
    },
  });
}

/** Two hundred other customers, so that a match is a needle among them. */
const seedOtherNames = () =>
  prisma.tracking.createMany({
    data: Array.from({ length: 200 }, (_, i) => ({
      shop,
      orderId: String(100 + i),
      trackingNumber: `BULK${i}`,
      customerName: `Grace Hopper ${i}`,
    })),
  });

const listed = async (q: string) =>
  (await listTrackings(shop, parseTrackingListQuery(new URLSearchParams({ q })))).rows.map((r) => r.id);

/**
 * What the search index itself holds for a name, without the table's help (SQLite's FTS5
 * table). A PostgreSQL index is never read without the table's visibility check: there the
 * indexed query is the answer.
 */
async function indexedRows(name: string): Promise<number> {
  const rows =
    appConfig().databaseProvider === "postgresql"
      ? await prisma.$queryRaw<{ n: bigint }[]>`
          SELECT COUNT(*) AS n FROM "Tracking" WHERE "customerName" ILIKE ${`%${name}%`}`
      : await prisma.$queryRaw<{ n: bigint | number }[]>`
          SELECT COUNT(*) AS n FROM "TrackingNameSearch" WHERE "TrackingNameSearch" MATCH ${`"${name}"`}`;
  return Number(rows[0].n);
}

beforeEach(async () => {
  await prisma.tracking.deleteMany();
});

describe("customer-name search index", () => {
  it("finds a rare substring of a name among many others, in any case, beyond ASCII", async () => {
    const hamilton = await seed("Alexander Hamilton");
    const wang = await seed("王小明");
    const elodie = await seed("Élodie Durand");
    await seedOtherNames();
    expect(await customerNameMatches(shop, "milto")).toEqual([hamilton.id]);
    expect(await customerNameMatches(shop, "HAMILTON")).toEqual([hamilton.id]);
    expect(await customerNameMatches(shop, "王小明")).toEqual([wang.id]);
    // Case folding beyond ASCII: SQLite's LIKE would not match É with é.
    expect(await customerNameMatches(shop, "élodie")).toEqual([elodie.id]);
    expect(await customerNameMatches(shop, "Nobody")).toEqual([]);
    // The list takes the index's answer.
    expect(await listed("hamilton")).toEqual([hamilton.id]);
    expect(await listed("ÉLODIE")).toEqual([elodie.id]);
  });

  it("finds names by one or two characters, as many Chinese names are written", async () => {
    const wangFang = await seed("王芳");
    const liFang = await seed("李芳芳");
    const hamilton = await seed("Alexander Hamilton");
    await seed("王芳", otherShop);
    await seedOtherNames();
    // Shorter than a trigram: the short-query index answers, for the shop only.
    expect(await customerNameMatches(shop, "王芳")).toEqual([wangFang.id]);
    expect((await customerNameMatches(shop, "芳"))?.sort()).toEqual([wangFang.id, liFang.id].sort());
    expect(await customerNameMatches(shop, "HA")).toEqual([hamilton.id]);
    expect(await customerNameMatches(shop, "x")).toEqual([hamilton.id]);
    expect(await customerNameMatches(shop, "李王")).toEqual([]);
    // LIKE's own wildcards are characters to look for.
    expect(await customerNameMatches(shop, "%")).toEqual([]);
    expect(await customerNameMatches(shop, "_")).toEqual([]);
    expect(await listed("王芳")).toEqual([wangFang.id]);
    await prisma.tracking.update({ where: { id: wangFang.id }, data: { customerName: "" } });
    expect(await customerNameMatches(shop, "王芳")).toEqual([]);
  });

  it("answers only for the shop", async () => {
    const mine = await seed("Margaret Hamilton");
    await seed("Margaret Hamilton", otherShop);
    expect(await customerNameMatches(shop, "Hamilton")).toEqual([mine.id]);
    expect(await customerNameMatches(otherShop, "Hamilton")).toHaveLength(1);
    expect(await customerNameMatches(otherShop, "Hamilton")).not.toContain(mine.id);
  });

  it("follows edits and deletions", async () => {
    const row = await seed("Ada Lovelace");
    await prisma.tracking.update({ where: { id: row.id }, data: { customerName: "Ada Byron" } });
    expect(await customerNameMatches(shop, "Lovelace")).toEqual([]);
    expect(await indexedRows("Lovelace")).toBe(0);
    expect(await customerNameMatches(shop, "Byron")).toEqual([row.id]);
    // Other columns' writes leave the name's entry as it is.
    await prisma.tracking.update({ where: { id: row.id }, data: { status: "transit" } });
    expect(await customerNameMatches(shop, "Byron")).toEqual([row.id]);
    await prisma.tracking.delete({ where: { id: row.id } });
    expect(await customerNameMatches(shop, "Byron")).toEqual([]);
    expect(await indexedRows("Byron")).toBe(0);
  });

  it("no longer holds a name customers/redact erased", async () => {
    const row = await seed("Katherine Johnson");
    const kept = await seed("Dorothy Vaughan");
    expect(await indexedRows("Katherine")).toBe(1);
    await redactCustomer(shop, { orders: [row.orderId] });
    expect(await customerNameMatches(shop, "Katherine")).toEqual([]);
    expect(await indexedRows("Katherine")).toBe(0);
    expect(await customerNameMatches(shop, "Ka")).toEqual([]);
    expect(await listed("Katherine")).toEqual([]);
    expect(await customerNameMatches(shop, "Vaughan")).toEqual([kept.id]);
  });

  it("leaves a common name to the list's ordered read, which finds the same rows", async () => {
    await prisma.tracking.createMany({
      data: Array.from({ length: NAME_MATCH_CAP + 1 }, (_, i) => ({
        shop,
        orderId: String(100 + i),
        trackingNumber: `COMMON${i}`,
        customerName: `Grace Hopper ${i}`,
        createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
      })),
    });
    expect(await customerNameMatches(shop, "hopper")).toBeNull();
    // So is a short query found in that many names.
    expect(await customerNameMatches(shop, "op")).toBeNull();
    const page = await listed("hopper");
    expect(page).toHaveLength(50);
    expect(await listed("op")).toEqual(page);
    const newest = await prisma.tracking.findFirstOrThrow({
      where: { shop },
      orderBy: { createdAt: "desc" },
    });
    expect(page[0]).toBe(newest.id);
  });
});
