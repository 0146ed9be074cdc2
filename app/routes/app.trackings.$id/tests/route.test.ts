import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { accountId } from "~/trackingmore";
import { trackingMoreClientForKey, trackingMoreRateGate } from "~/trackingmore.server";
import {
  formBody,
  installShop,
  seedSyncedTracking,
  withAdminEmulator,
} from "../../../../test/support/admin-fixtures";
import { callRoute } from "../../../../test/support/routes";
import { embeddedFetchRequest } from "../../../../test/support/shopify";
import { action, loader } from "../route";

const shop = "detail-shop.myshopify.com";
const otherShop = "detail-other.myshopify.com";
const apiKey = "tm-detail-key-00001";

const load = (id: string, asShop = shop) =>
  callRoute(loader, embeddedFetchRequest(`/app/trackings/${id}`, asShop), { id });
const act = (id: string, values: Record<string, string>, asShop = shop) =>
  callRoute(action, embeddedFetchRequest(`/app/trackings/${id}`, asShop, formBody(values)), { id });
const remote = (number: string) => trackingMoreClientForKey(apiKey).getTracking("usps", number);

const tm = withAdminEmulator([{ apiKey, email: "detail@example.com" }]);
beforeEach(async () => {
  await prisma.tracking.deleteMany();
  await installShop(shop, apiKey);
  await installShop(otherShop, apiKey);
});

describe("/app/trackings/:id", () => {
  it("labels the events the push and the poller stored, and summarises the parcel", async () => {
    const row = await seedSyncedTracking(shop, apiKey);
    // As apply-snapshot stores them: oldest first, the status under `status`.
    await prisma.tracking.update({
      where: { id: row.id },
      data: {
        status: "exception",
        substatus: "exception006",
        transitDays: 4,
        estimatedDeliveryAt: new Date("2026-12-05T12:00:00Z"),
        lastEvent: "Held by customs, Frankfurt,2026-11-29 08:00:00",
        checkpoints: JSON.stringify([
          { time: "2026-11-27T10:00:00.000Z", description: "Accepted", location: "Lyon", status: "transit" },
          {
            time: "2026-11-29T08:00:00.000Z",
            description: "Held by customs",
            location: "Frankfurt",
            status: "exception",
            substatus: "exception006",
          },
        ]),
      },
    });
    const data = (await (await load(row.id)).json()) as {
      tracking: { checkpoints: { status: string | null; description: string }[] };
      summary: {
        status: string;
        substatus: string;
        latest: { description: string; location: string; timeLabel: string };
        daysInTransit: number;
        estimatedDeliveryLabel: string;
      };
    };
    expect(data.tracking.checkpoints.map((c) => c.status)).toEqual(["exception", "transit"]);
    expect(data.summary).toEqual({
      status: "exception",
      substatus: "exception006",
      latest: {
        description: "Held by customs",
        location: "Frankfurt",
        timeLabel: expect.stringMatching(/^Nov 29, 2026/),
      },
      daysInTransit: 4,
      estimatedDeliveryLabel: "Dec 5, 2026",
    });
  });

  it("says where a manual status goes, and what went wrong in words, not TrackingMore's text", async () => {
    const row = await seedSyncedTracking(shop, apiKey);
    await prisma.tracking.update({
      where: { id: row.id },
      data: {
        fulfillmentId: "gid://shopify/Fulfillment/77",
        lastError: "503: TrackingMore POST /trackings/updatemore failed with 503: Service Unavailable",
      },
    });
    type Data = { tracking: { statusWriteBack: string; problem: string | null } };
    const read = async () => ((await (await load(row.id)).json()) as Data).tracking;
    const raw = await (await load(row.id)).text();
    expect(raw).not.toContain("/trackings/updatemore");
    expect(await read()).toMatchObject({ statusWriteBack: "shopify", problem: "unreachable" });

    await prisma.shopSettings.upsert({
      where: { shop },
      create: { shop, writeBackEnabled: false },
      update: { writeBackEnabled: false },
    });
    expect((await read()).statusWriteBack).toBe("off");
    await prisma.shopSettings.update({ where: { shop }, data: { writeBackEnabled: true } });
    await prisma.tracking.update({ where: { id: row.id }, data: { fulfillmentId: null, lastError: null } });
    expect(await read()).toMatchObject({ statusWriteBack: "no_fulfillment", problem: null });
  });

  it("reads TrackingMore's one-line last event when there are no checkpoints", async () => {
    const row = await seedSyncedTracking(shop, apiKey);
    await prisma.tracking.update({
      where: { id: row.id },
      data: { checkpoints: "[]", lastEvent: "Arrived, at hub, Paris,2026-11-29 08:00:00", lastEventAt: null },
    });
    const { summary } = (await (await load(row.id)).json()) as {
      summary: { latest: { description: string; location: string; timeLabel: string } };
    };
    expect(summary.latest).toEqual({
      description: "Arrived, at hub",
      location: "Paris",
      timeLabel: "2026-11-29 08:00:00",
    });
  });

  it("shows the shop's tracking and answers 404 for another shop's", async () => {
    const row = await seedSyncedTracking(shop, apiKey, { title: "Mug" });
    const response = await load(row.id);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { tracking: { title: string } }).tracking.title).toBe("Mug");
    expect((await load(row.id, otherShop)).status).toBe(404);
    expect((await load("no-such-id")).status).toBe(404);
  });

  it("shows the carrier by name, how it was chosen, and its automatic switches (only its own shop's)", async () => {
    const row = await seedSyncedTracking(shop, apiKey, { title: "Mug" });
    await prisma.tracking.update({
      where: { id: row.id },
      data: { carrierSource: "detected", trackingCompany: "DHL" },
    });
    const at = new Date("2026-11-24T08:00:00Z");
    await prisma.carrierSwitch.createMany({
      data: [
        {
          shop,
          trackingId: row.id,
          fromCarrier: "dhl",
          toCarrier: "usps",
          reason: "notfound",
          createdAt: at,
        },
        { shop: otherShop, trackingId: row.id, fromCarrier: "ups", toCarrier: "fedex", reason: "notfound" },
      ],
    });
    type Detail = {
      tracking: { carrierSource: string; trackingCompany: string };
      carrierLabel: string;
      carrierSwitches: { fromName: string; toName: string; reason: string; dateLabel: string }[];
    };
    const data = (await (await load(row.id)).json()) as Detail;
    expect(data.tracking).toMatchObject({ carrierSource: "detected", trackingCompany: "DHL" });
    expect(data.carrierLabel).toBe("USPS");
    expect(data.carrierSwitches).toEqual([
      { fromName: "DHL", toName: "USPS", reason: "notfound", dateLabel: "Nov 24, 2026" },
    ]);
    // In the merchant's language: the carriers' Chinese names, the date written the Chinese way.
    const zh = (await (
      await callRoute(loader, embeddedFetchRequest(`/app/trackings/${row.id}?locale=zh-CN`, shop), {
        id: row.id,
      })
    ).json()) as Detail;
    expect(zh.carrierLabel).toBe("美国邮政");
    expect(zh.carrierSwitches).toEqual([
      { fromName: "DHL", toName: "美国邮政", reason: "notfound", dateLabel: "2026年11月24日" },
    ]);
  });

  it("saves edited fields locally and at TrackingMore", async () => {
    const row = await seedSyncedTracking(shop, apiKey, { title: "Mug" });
    const response = await act(row.id, {
      intent: "save",
      title: "Blue mug",
      customerName: "Grace Hopper",
      customerEmail: "grace@example.com",
      destinationCode: "us",
    });
    expect(response.status).toBe(200);
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      title: "Blue mug",
      customerName: "Grace Hopper",
      destinationCode: "US",
      syncState: "synced",
    });
    const atTm = await remote(row.trackingNumber);
    expect(atTm).toMatchObject({
      title: "Blue mug",
      customerName: "Grace Hopper",
      customerEmail: "grace@example.com",
    });
  });

  it("shows validation errors on the fields and saves nothing", async () => {
    const row = await seedSyncedTracking(shop, apiKey, { title: "Mug" });
    const response = await act(row.id, { intent: "save", title: "Changed", customerEmail: "nope" });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ ok: false, fieldErrors: { customerEmail: "invalid_email" } });
    const bad = await act(row.id, { intent: "status", manualStatus: "5" });
    expect(bad.status).toBe(422);
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      title: "Mug",
      syncState: "synced",
      manualStatus: null,
    });
    expect((await remote(row.trackingNumber)).title).toBe("Mug");
  });

  it("marks an exception, archives, and deletes after confirmation", async () => {
    const row = await seedSyncedTracking(shop, apiKey);
    expect((await act(row.id, { intent: "status", manualStatus: "7" })).status).toBe(200);
    expect((await remote(row.trackingNumber)).status).toBe("exception");
    expect((await act(row.id, { intent: "archive", archived: "true" })).status).toBe(200);
    expect((await remote(row.trackingNumber)).archived).toBe(true);
    const deleted = await act(row.id, { intent: "delete" });
    expect(deleted.status).toBe(302);
    expect(await prisma.tracking.count({ where: { id: row.id } })).toBe(0);
  });

  it("refuses every action on another shop's tracking with 404", async () => {
    const foreign = await seedSyncedTracking(otherShop, apiKey, { title: "Theirs" });
    const attempts: Record<string, string>[] = [
      { intent: "save", title: "Mine now" },
      { intent: "delete" },
      { intent: "status", manualStatus: "4" },
      { intent: "refresh" },
    ];
    for (const values of attempts) {
      expect((await act(foreign.id, values)).status).toBe(404);
    }
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: foreign.id } })).toMatchObject({
      title: "Theirs",
      syncState: "synced",
    });
  });

  it("keeps an edit as pending when TrackingMore is down", async () => {
    const row = await seedSyncedTracking(shop, apiKey, { title: "Mug" });
    tm.current().setFaults({ error503: 1 });
    const response = await act(row.id, { intent: "save", title: "Saved anyway" });
    expect(await response.json()).toMatchObject({ ok: true, pushed: { synced: 0, waiting: 1 } });
    const detail = (await (await load(row.id)).json()) as { tracking: { title: string; syncState: string } };
    expect(detail.tracking).toMatchObject({ title: "Saved anyway", syncState: "pending_update" });
  });

  it("refreshes from TrackingMore, at most once per cooldown", async () => {
    const row = await seedSyncedTracking(shop, apiKey);
    expect(await (await act(row.id, { intent: "refresh" })).json()).toMatchObject({ refresh: "refreshed" });
    expect(
      (await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).statusUpdatedAt,
    ).toBeInstanceOf(Date);
    expect(await (await act(row.id, { intent: "refresh" })).json()).toMatchObject({ refresh: "too_soon" });
  });

  // Last: the pause it sets outlives the test.
  it("answers at once that TrackingMore is unavailable while the account is paused after a 429", async () => {
    const row = await seedSyncedTracking(shop, apiKey);
    const realtimeCalls = () => tm.current().stats().calls[apiKey]?.["POST /trackings/realtime"] ?? 0;
    const before = realtimeCalls();
    await trackingMoreRateGate().pauseAccount(accountId(apiKey, tm.current().baseUrl), 5_000);
    const started = Date.now();
    expect(await (await act(row.id, { intent: "refresh" })).json()).toMatchObject({ refresh: "unavailable" });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(realtimeCalls()).toBe(before);
  });
});
