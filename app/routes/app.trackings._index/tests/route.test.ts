import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { trackingMoreClientForKey } from "~/trackingmore.server";
import {
  formBody,
  installShop,
  seedLocalTracking,
  seedSyncedTracking,
  withAdminEmulator,
} from "../../../../test/support/admin-fixtures";
import { callRoute } from "../../../../test/support/routes";
import { embeddedFetchRequest } from "../../../../test/support/shopify";
import { loader as exportLoader } from "../../app.trackings.export[.csv]/route";
import { action, loader } from "../route";

const shop = "list-shop.myshopify.com";
const otherShop = "list-other.myshopify.com";
const apiKey = "tm-list-key-000001";

type ListData = {
  rows: { id: string; trackingNumber: string; archived: boolean; syncState: string }[];
  nextCursor: string | null;
  previousCursor: string | null;
};
type BulkData = {
  ok: boolean;
  result?: { applied: number; synced: number; waiting: number; failures: { id: string; problem: string }[] };
  fieldErrors?: Record<string, string>;
};

const list = async (query = "") => {
  const response = await callRoute(loader, embeddedFetchRequest(`/app/trackings${query}`, shop));
  expect(response.status).toBe(200);
  return (await response.json()) as ListData;
};
const bulk = (values: Record<string, string>, asShop = shop) =>
  callRoute(action, embeddedFetchRequest("/app/trackings", asShop, formBody(values)));

const tm = withAdminEmulator([{ apiKey, email: "list@example.com" }]);
beforeEach(async () => {
  await prisma.tracking.deleteMany();
  await installShop(shop, apiKey);
  await installShop(otherShop);
});

describe("GET /app/trackings", () => {
  it("lists only the shop's trackings, newest first, and hides archived ones", async () => {
    const older = await seedLocalTracking(shop, { createdAt: new Date("2026-01-01T00:00:00Z") });
    const newer = await seedLocalTracking(shop, { createdAt: new Date("2026-02-01T00:00:00Z") });
    await seedLocalTracking(shop, { archived: true });
    await seedLocalTracking(otherShop);
    const data = await list();
    expect(data.rows.map((r) => r.id)).toEqual([newer.id, older.id]);
  });

  it("searches by tracking number, order name, customer name and email", async () => {
    const a = await seedSyncedTracking(shop, apiKey, {
      customerName: "Ada Lovelace",
      customerEmail: "ada@example.com",
    });
    const b = await seedSyncedTracking(shop, apiKey, { orderName: "#7777" });
    await seedSyncedTracking(otherShop, apiKey, { customerName: "Ada Other" });
    expect((await list("?q=Lovelace")).rows.map((r) => r.id)).toEqual([a.id]);
    expect((await list("?q=ada@example")).rows.map((r) => r.id)).toEqual([a.id]);
    expect((await list("?q=7777")).rows.map((r) => r.id)).toEqual([b.id]);
    expect((await list(`?q=${a.trackingNumber.slice(0, 12)}`)).rows.map((r) => r.id)).toContain(a.id);
  });

  it("filters by status, sync state, archived and date, and by saved view", async () => {
    const exception = await seedLocalTracking(shop, { status: "exception", syncState: "synced" });
    const waiting = await seedLocalTracking(shop, { syncState: "waiting_api_key" });
    const archived = await seedLocalTracking(shop, { archived: true });
    const old = await seedLocalTracking(shop, { createdAt: new Date("2025-06-15T12:00:00Z") });
    expect((await list("?status=exception")).rows.map((r) => r.id)).toEqual([exception.id]);
    expect((await list("?view=exceptions")).rows.map((r) => r.id)).toEqual([exception.id]);
    expect((await list("?view=attention")).rows.map((r) => r.id)).toEqual([waiting.id]);
    expect((await list("?state=waiting_api_key")).rows.map((r) => r.id)).toEqual([waiting.id]);
    expect((await list("?view=archived")).rows.map((r) => r.id)).toEqual([archived.id]);
    expect((await list("?from=2025-06-15&to=2025-06-15")).rows.map((r) => r.id)).toEqual([old.id]);
  });

  it("pages forwards and back with cursors, without gaps or repeats", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.unshift((await seedLocalTracking(shop, { createdAt: new Date(Date.UTC(2026, 0, 1 + i)) })).id);
    }
    const first = await list("?limit=3");
    expect(first.rows.map((r) => r.id)).toEqual(ids.slice(0, 3));
    expect(first.previousCursor).toBeNull();
    const second = await list(`?limit=3&after=${first.nextCursor}`);
    expect(second.rows.map((r) => r.id)).toEqual(ids.slice(3, 6));
    const third = await list(`?limit=3&after=${second.nextCursor}`);
    expect(third.rows.map((r) => r.id)).toEqual(ids.slice(6));
    expect(third.nextCursor).toBeNull();
    const back = await list(`?limit=3&before=${second.previousCursor}`);
    expect(back.rows.map((r) => r.id)).toEqual(ids.slice(0, 3));
    const byNumber = await list("?limit=10&sort=trackingNumber&dir=asc");
    const numbers = byNumber.rows.map((r) => r.trackingNumber);
    expect(numbers).toEqual([...numbers].sort());
  });

  it("asks for a session token", async () => {
    const response = await callRoute(loader, new Request("https://trackbridge.test/app/trackings"));
    expect(response.status).not.toBe(200);
  });
});

describe("POST /app/trackings (bulk actions)", () => {
  it("archives the selected trackings here and at TrackingMore", async () => {
    const rows = await Promise.all([1, 2, 3].map(() => seedSyncedTracking(shop, apiKey)));
    const response = await bulk({ bulkAction: "archive", ids: JSON.stringify(rows.map((r) => r.id)) });
    expect(response.status).toBe(200);
    const data = (await response.json()) as BulkData;
    expect(data.result).toMatchObject({ applied: 3, synced: 3, waiting: 0, failures: [] });
    for (const row of rows) {
      expect(await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
        archived: true,
        syncState: "synced",
      });
      expect((await trackingMoreClientForKey(apiKey).getTracking("usps", row.trackingNumber)).archived).toBe(
        true,
      );
    }
  });

  it("marks exception and reports per-item failures from TrackingMore", async () => {
    const good = await seedSyncedTracking(shop, apiKey);
    const ghost = await prisma.tracking.create({
      data: {
        shop,
        orderId: "9",
        trackingNumber: "GHOST-1",
        carrierCode: "usps",
        trackingMoreId: "x",
        syncState: "synced",
      },
    });
    const data = (await (
      await bulk({ bulkAction: "markException", ids: JSON.stringify([good.id, ghost.id]) })
    ).json()) as BulkData;
    expect(data.result!.synced).toBe(1);
    // Why, as a kind the page words: TrackingMore has no such tracking.
    expect(data.result!.failures.map((f) => [f.id, f.problem])).toEqual([[ghost.id, "not_found"]]);
    expect((await trackingMoreClientForKey(apiKey).getTracking("usps", good.trackingNumber)).status).toBe(
      "exception",
    );
    // Dead-lettered: the list's "needs attention" filter shows it.
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: ghost.id } })).deadAt).not.toBeNull();
    const attention = await list("?state=needs_attention");
    expect(attention.rows.map((r) => [r.id, r.syncState])).toEqual([[ghost.id, "needs_attention"]]);
    // What TrackingMore answered stays on the server (the detail page words it).
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: ghost.id } })).lastError).toBeTruthy();
    expect(JSON.stringify(attention)).not.toContain("lastError");
  });

  it("keeps the change pending when TrackingMore is down", async () => {
    const row = await seedSyncedTracking(shop, apiKey);
    tm.current().setFaults({ error503: 1 });
    const data = (await (
      await bulk({ bulkAction: "markDelivered", ids: JSON.stringify([row.id]) })
    ).json()) as BulkData;
    expect(data.result).toMatchObject({ applied: 1, synced: 0, waiting: 1, failures: [] });
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      syncState: "pending_update",
      manualStatus: 4,
      status: "delivered",
    });
  });

  it("deletes, and refuses an unknown carrier on the field", async () => {
    const row = await seedSyncedTracking(shop, apiKey);
    const refused = await bulk({
      bulkAction: "changeCarrier",
      carrierCode: "No Such!",
      ids: JSON.stringify([row.id]),
    });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as BulkData).fieldErrors).toEqual({ carrierCode: "unknown_carrier" });
    const deleted = (await (
      await bulk({ bulkAction: "delete", ids: JSON.stringify([row.id]) })
    ).json()) as BulkData;
    expect(deleted.result!.synced).toBe(1);
    expect(await prisma.tracking.count({ where: { id: row.id } })).toBe(0);
    await expect(trackingMoreClientForKey(apiKey).getTracking("usps", row.trackingNumber)).rejects.toThrow();
  });

  it("does not touch another shop's trackings", async () => {
    const foreign = await seedSyncedTracking(otherShop, apiKey);
    const data = (await (
      await bulk({ bulkAction: "archive", ids: JSON.stringify([foreign.id]) })
    ).json()) as BulkData;
    expect(data.result!.applied).toBe(0);
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: foreign.id } })).archived).toBe(false);
    expect(
      (await trackingMoreClientForKey(apiKey).getTracking("usps", foreign.trackingNumber)).archived,
    ).toBe(false);
  });
});

describe("GET /app/trackings/export.csv", () => {
  it("exports every filtered row of the shop, with formula-looking cells defused", async () => {
    await seedSyncedTracking(shop, apiKey, {
      customerName: "=HYPERLINK(1)",
      status: "exception",
      title: "Lamp",
    });
    await seedSyncedTracking(shop, apiKey, { status: "transit" });
    await seedSyncedTracking(otherShop, apiKey, { status: "exception" });
    const response = await callRoute(
      exportLoader,
      embeddedFetchRequest("/app/trackings/export.csv?status=exception", shop),
    );
    expect(response.headers.get("content-type")).toMatch(/text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // UTF-8 byte order mark, so Excel reads non-ASCII names as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).trim().split("\r\n");
    expect(lines[0]).toBe(
      "Tracking number,Carrier,Order,Title,Customer,Customer email,Status,Last event,Last update,Archived,TrackingMore,Created,Estimated delivery",
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("'=HYPERLINK(1)");
    expect(lines[1]).toMatch(/,USPS,#\d+,Lamp,/);
    expect(lines[1]).toContain(",Exception,");
  });

  it("names the carrier filter's choices, the filtered carrier even when no parcel uses it", async () => {
    await seedSyncedTracking(shop, apiKey); // usps
    await prisma.tracking.create({
      data: { shop, orderId: "7", trackingNumber: "CN-1", carrierCode: "fedex-freight", status: "pending" },
    });
    await prisma.tracking.create({
      data: {
        shop: otherShop,
        orderId: "8",
        trackingNumber: "OTHER-1",
        carrierCode: "ups",
        status: "pending",
      },
    });
    const carriersOf = async (query: string) => {
      const response = await callRoute(loader, embeddedFetchRequest(`/app/trackings${query}`, shop));
      return ((await response.json()) as { carriers: { code: string; name: string }[] }).carriers;
    };
    expect(await carriersOf("?carrier=dhl-germany")).toEqual([
      { code: "dhl-germany", name: "Deutsche Post DHL" },
      { code: "fedex-freight", name: "Fedex Freight" },
      { code: "usps", name: "USPS" },
    ]);
    // TrackingMore's "Chinese" name for fedex-freight is the code again: the English name instead.
    expect(await carriersOf("?locale=zh-CN")).toEqual(
      expect.arrayContaining([
        { code: "usps", name: "美国邮政" },
        { code: "fedex-freight", name: "Fedex Freight" },
      ]),
    );
  });

  it("writes the headers, statuses and carrier names in the merchant's language", async () => {
    await seedSyncedTracking(shop, apiKey, { customerName: "王小明", status: "exception" });
    const response = await callRoute(
      exportLoader,
      embeddedFetchRequest("/app/trackings/export.csv?locale=zh-CN", shop),
    );
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^运单号,承运商,订单,标题,/);
    expect(lines[1]).toContain(",美国邮政,");
    expect(lines[1]).toContain("王小明");
    expect(lines[1]).toContain(",异常,");
  });
});
