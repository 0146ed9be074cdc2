import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { COUNT_CAP, hasManyStalled } from "~/models/delivery-promise/attention.server";
import { getDashboard } from "../dashboard.server";
import { listTrackings, parseTrackingListQuery, trackingListWhere } from "../trackings-list.server";

// A shop with a backlog: the dashboard counts up to COUNT_CAP ("1000+") instead of reading the
// whole backlog, and the stalled view reads the shop's rows in order when stalled parcels are
// many — the same rows either way.

const shop = "large-shop.myshopify.com";
const now = new Date("2026-06-30T12:00:00Z");
const DAY = 86_400_000;

beforeEach(async () => {
  await prisma.tracking.deleteMany();
});

describe("a shop with a backlog", () => {
  it("counts attention items up to the cap, as the list shows them", async () => {
    await prisma.tracking.createMany({
      data: Array.from({ length: COUNT_CAP + 5 }, (_, i) => ({
        shop,
        orderId: String(i),
        trackingNumber: `EXC${i}`,
        status: i % 2 === 0 ? "exception" : "undelivered",
        syncState: "synced",
        // Stalled as well: no carrier news for a month.
        lastEventAt: new Date(now.getTime() - 30 * DAY),
        createdAt: new Date(now.getTime() - 40 * DAY + i * 1000),
      })),
    });
    await prisma.tracking.create({
      data: {
        shop,
        orderId: "s",
        trackingNumber: "STALLED1",
        status: "transit",
        lastEventAt: new Date(now.getTime() - 30 * DAY),
      },
    });
    const dashboard = await getDashboard(shop, { now });
    expect(dashboard.attention.exceptions).toBe(COUNT_CAP);
    expect(dashboard.delivery.cap).toBe(COUNT_CAP);
    // Failed attempts: (COUNT_CAP + 5) / 2 of them, under the cap: the exact number.
    expect(dashboard.attention.failedAttempts).toBe(Math.floor((COUNT_CAP + 5) / 2));
    expect(dashboard.attention.stalled).toBe(1);
    expect(dashboard.attention.stalled).toBe(dashboard.delivery.stalled);
    const page = await listTrackings(shop, parseTrackingListQuery(new URLSearchParams("view=exceptions")));
    expect(page.rows).toHaveLength(50);
    expect(page.nextCursor).not.toBeNull();
  });

  it("lists the same stalled parcels whether it reads them by index or in order", async () => {
    const at = (days: number) => new Date(now.getTime() - days * DAY);
    const rows = [
      // Stalled: old last event; no event and created long ago.
      { status: "transit", lastEventAt: at(20), createdAt: at(30) },
      { status: "pickup", lastEventAt: at(8), createdAt: at(9) },
      { status: "pending", lastEventAt: null, createdAt: at(10) },
      { status: "notfound", lastEventAt: null, createdAt: at(12) },
      // An event older than the tracking (imported late): stalled by its event.
      { status: "transit", lastEventAt: at(15), createdAt: at(1) },
      // Not stalled: recent news, recently created, delivered, an exception, archived.
      { status: "transit", lastEventAt: at(2), createdAt: at(30) },
      { status: "pending", lastEventAt: null, createdAt: at(3) },
      { status: "delivered", lastEventAt: at(20), createdAt: at(30) },
      { status: "exception", lastEventAt: at(20), createdAt: at(30) },
      { status: "transit", lastEventAt: at(20), createdAt: at(30), archived: true },
    ];
    await prisma.tracking.createMany({
      data: rows.map((r, i) => ({ shop, orderId: String(i), trackingNumber: `ST${i}`, ...r })),
    });
    const query = { ...parseTrackingListQuery(new URLSearchParams("view=stalled")), now };
    const read = async (stalledInOrder: boolean) =>
      (
        await prisma.tracking.findMany({
          where: trackingListWhere(shop, query, { stalledInOrder }),
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          select: { trackingNumber: true },
        })
      ).map((r) => r.trackingNumber);
    expect(await read(false)).toEqual(["ST4", "ST1", "ST2", "ST3", "ST0"]);
    expect(await read(true)).toEqual(await read(false));
    expect(await hasManyStalled(shop, query.stalledAfterDays, now)).toBe(false);
  });

  it("reads a backlog of stalled parcels newest first, as the list always does", async () => {
    await prisma.tracking.createMany({
      data: Array.from({ length: COUNT_CAP + 10 }, (_, i) => ({
        shop,
        orderId: String(i),
        trackingNumber: `BACK${String(i).padStart(5, "0")}`,
        status: "transit",
        lastEventAt: new Date(now.getTime() - 20 * DAY),
        createdAt: new Date(now.getTime() - 25 * DAY + i * 1000),
      })),
    });
    const query = { ...parseTrackingListQuery(new URLSearchParams("view=stalled")), now };
    expect(await hasManyStalled(shop, query.stalledAfterDays, now)).toBe(true);
    const first = await listTrackings(shop, query);
    expect(first.rows.map((r) => r.trackingNumber).slice(0, 2)).toEqual(["BACK01009", "BACK01008"]);
    const second = await listTrackings(shop, { ...query, after: first.nextCursor });
    expect(second.rows[0].trackingNumber).toBe("BACK00959");
  });
});
