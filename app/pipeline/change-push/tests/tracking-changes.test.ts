import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { pushTrackingChanges } from "../push-changes.server";
import { pushTrackingChangesJob } from "../job.server";
import { retryDeadLetters } from "~/pipeline/queue/dead-letters.server";
import { ValidationError } from "~/lib/errors.server";
import { saveTrackingMoreApiKey } from "~/models/settings.server";
import { queueTrackingChanges, queueTrackingDeletion } from "~/pipeline/change-push/tracking-changes.server";
import { trackingMoreClientForKey } from "~/trackingmore.server";
import { withAdminEmulator } from "../../../../test/support/admin-fixtures";

const shop = "queue-shop.myshopify.com";
const otherShop = "queue-other.myshopify.com";
const apiKey = "tm-queue-key-0001";
let counter = 0;

const tm = withAdminEmulator([{ apiKey, email: "q@example.com" }]);
beforeEach(async () => {
  await prisma.tracking.deleteMany();
  await saveTrackingMoreApiKey(shop, apiKey);
});

/** A tracking TrackingMore has (created at the emulator) and our row for it. */
async function syncedTracking(overrides: { shop?: string; title?: string } = {}) {
  counter += 1;
  const trackingNumber = `9400100000000000${String(counter).padStart(6, "0")}`;
  const created = await trackingMoreClientForKey(apiKey).createTracking({
    trackingNumber,
    carrierCode: "usps",
    title: overrides.title ?? "Old title",
  });
  return prisma.tracking.create({
    data: {
      shop: overrides.shop ?? shop,
      orderId: "1",
      trackingNumber,
      carrierCode: "usps",
      trackingMoreId: created.id,
      title: overrides.title ?? "Old title",
      syncState: "synced",
    },
  });
}

async function remote(trackingNumber: string, carrierCode = "usps") {
  return trackingMoreClientForKey(apiKey).getTracking(carrierCode, trackingNumber);
}

describe("queueTrackingChanges", () => {
  it("writes the edit locally at once and pushes it to TrackingMore in the next round", async () => {
    const row = await syncedTracking();
    expect(
      await queueTrackingChanges(shop, [row.id], { title: "New title", customerEmail: "a@b.co" }),
    ).toEqual({
      updated: 1,
    });
    const queued = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect(queued).toMatchObject({
      title: "New title",
      customerEmail: "a@b.co",
      syncState: "pending_update",
    });
    expect(JSON.parse(queued.pendingChanges!)).toEqual({ title: "New title", customerEmail: "a@b.co" });

    const result = await pushTrackingChanges();
    expect(result).toEqual({ synced: 1, failed: [], waiting: 0 });
    const synced = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect(synced).toMatchObject({ syncState: "synced", pendingChanges: null, leaseOwner: null });
    const atTm = await remote(row.trackingNumber);
    expect(atTm.title).toBe("New title");
    expect(atTm.customerEmail).toBe("a@b.co");
  });

  it("refuses invalid input on the field and saves nothing", async () => {
    const row = await syncedTracking();
    const attempt = queueTrackingChanges(shop, [row.id], {
      title: "Fine",
      customerEmail: "not-an-email",
      manualStatus: 5 as never,
      carrierCode: "Not A Carrier!",
    });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await attempt.catch((error: ValidationError) =>
      expect(error.fieldErrors).toEqual({
        customerEmail: "invalid_email",
        manualStatus: "invalid_status",
        carrierCode: "unknown_carrier",
      }),
    );
    const unchanged = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect(unchanged).toMatchObject({ title: "Old title", syncState: "synced", pendingChanges: null });
  });

  it("ignores another shop's trackings", async () => {
    const foreign = await syncedTracking({ shop: otherShop });
    expect(await queueTrackingChanges(shop, [foreign.id], { archived: true })).toEqual({ updated: 0 });
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: foreign.id } })).toMatchObject({
      archived: false,
      syncState: "synced",
    });
    expect(await queueTrackingDeletion(shop, [foreign.id])).toEqual({ queued: 0 });
    expect(await prisma.tracking.count({ where: { id: foreign.id } })).toBe(1);
  });

  it("only updates the fields of a tracking TrackingMore does not have yet", async () => {
    const row = await prisma.tracking.create({
      data: { shop, orderId: "2", trackingNumber: "LOCAL1", carrierCode: "", syncState: "needs_carrier" },
    });
    await queueTrackingChanges(shop, [row.id], { title: "T", carrierCode: "dhl" });
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      title: "T",
      carrierCode: "dhl",
      carrierSource: "merchant",
      syncState: "pending",
      pendingChanges: null,
    });
  });

  it("keeps the change waiting while TrackingMore is down, and sends it when it is back", async () => {
    const row = await syncedTracking();
    await queueTrackingChanges(shop, [row.id], { archived: true, manualStatus: 7 });
    tm.current().setFaults({ error503: 1 });
    const down = await pushTrackingChanges();
    expect(down).toEqual({ synced: 0, failed: [], waiting: 1 });
    const waiting = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    expect(waiting).toMatchObject({
      syncState: "pending_update",
      attempts: 1,
      archived: true,
      status: "exception",
    });
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(JSON.parse(waiting.pendingChanges!)).toEqual({ archived: true, manualStatus: 7 });

    // Not due yet: the round leaves it alone.
    expect((await pushTrackingChanges()).synced).toBe(0);
    tm.current().setFaults({});
    const later = await pushTrackingChanges({ now: () => new Date(Date.now() + 3_600_000) });
    expect(later.synced).toBe(1);
    const atTm = await remote(row.trackingNumber);
    expect(atTm.archived).toBe(true);
    expect(atTm.status).toBe("exception");
  });

  it("keeps the change waiting when the account has no balance (4019): the account, not the row", async () => {
    const row = await syncedTracking();
    await queueTrackingChanges(shop, [row.id], { title: "Paid later" });
    tm.current().setFaults({ next: ["4019"], endpoints: ["POST /trackings/updatemore"] });
    expect(await pushTrackingChanges()).toEqual({ synced: 0, failed: [], waiting: 1 });
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      syncState: "pending_update",
      attempts: 1,
    });
    const later = await pushTrackingChanges({ now: () => new Date(Date.now() + 3_600_000) });
    expect(later.synced).toBe(1);
    expect((await remote(row.trackingNumber)).title).toBe("Paid later");
  });

  it("marks a tracking TrackingMore refuses as needing attention, keeping what was typed", async () => {
    const row = await prisma.tracking.create({
      data: {
        shop,
        orderId: "3",
        trackingNumber: "NEVER-CREATED-AT-TM",
        carrierCode: "usps",
        trackingMoreId: "ghost",
        syncState: "synced",
      },
    });
    await queueTrackingChanges(shop, [row.id], { title: "Kept" });
    const result = await pushTrackingChanges({ shop, trackingIds: [row.id] });
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0].id).toBe(row.id);
    const failed = await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } });
    // Dead-lettered, the edit kept: a retry (here, after the number exists) sends it.
    expect(failed.deadAt).not.toBeNull();
    expect(failed.syncState).toBe("pending_update");
    expect(failed.lastError).toBeTruthy();
    expect(JSON.parse(failed.pendingChanges!)).toEqual({ title: "Kept" });
    expect((await pushTrackingChanges({ shop })).synced).toBe(0);

    await trackingMoreClientForKey(apiKey).createTracking({
      trackingNumber: "NEVER-CREATED-AT-TM",
      carrierCode: "usps",
    });
    expect(await retryDeadLetters(shop, { stage: "change-push", ids: [row.id] })).toBe(1);
    expect((await pushTrackingChanges({ shop })).synced).toBe(1);
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      syncState: "synced",
      deadAt: null,
      pendingChanges: null,
    });
  });

  it("changes the carrier at TrackingMore and then locally", async () => {
    const row = await syncedTracking();
    await queueTrackingChanges(shop, [row.id], { carrierCode: "fedex" });
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).carrierCode).toBe("usps");
    expect((await pushTrackingChanges()).synced).toBe(1);
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      carrierCode: "fedex",
      syncState: "synced",
    });
    expect((await remote(row.trackingNumber, "fedex")).carrierCode).toBe("fedex");
  });

  it("leaves rows waiting when the shop has no API key", async () => {
    const row = await syncedTracking({ shop: otherShop });
    await queueTrackingChanges(otherShop, [row.id], { title: "Waits" });
    const result = await pushTrackingChanges();
    expect(result).toEqual({ synced: 0, failed: [], waiting: 1 });
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      syncState: "pending_update",
      leaseOwner: null,
    });
  });

  it("never lets two workers claim the same row", async () => {
    const rows = await Promise.all([syncedTracking(), syncedTracking(), syncedTracking()]);
    await queueTrackingChanges(
      shop,
      rows.map((r) => r.id),
      { title: "Once" },
    );
    const [a, b] = await Promise.all([pushTrackingChanges(), pushTrackingChanges()]);
    expect(a.synced + b.synced).toBe(3);
  });
});

describe("a caller that pushes its own rows", () => {
  it("leases them while queueing, so the background job leaves them to it", async () => {
    const row = await syncedTracking();
    await queueTrackingChanges(shop, [row.id], { title: "Mine to send" }, { leaseFor: "admin-request-1" });
    expect((await pushTrackingChanges()).synced).toBe(0);
    const result = await pushTrackingChanges({ shop, trackingIds: [row.id], leaseOwner: "admin-request-1" });
    expect(result.synced).toBe(1);
    expect((await remote(row.trackingNumber)).title).toBe("Mine to send");
  });
});

describe("queueTrackingDeletion", () => {
  it("deletes local-only rows at once and the others after TrackingMore deleted them", async () => {
    const atTm = await syncedTracking();
    const local = await prisma.tracking.create({
      data: { shop, orderId: "4", trackingNumber: "LOCAL2", carrierCode: "usps", syncState: "pending" },
    });
    expect(await queueTrackingDeletion(shop, [atTm.id, local.id])).toEqual({ queued: 2 });
    expect(await prisma.tracking.count({ where: { id: local.id } })).toBe(0);
    expect((await prisma.tracking.findUniqueOrThrow({ where: { id: atTm.id } })).syncState).toBe(
      "pending_delete",
    );

    const job = pushTrackingChangesJob();
    expect(await job.runOnce()).toBe(1);
    expect(await prisma.tracking.count({ where: { id: atTm.id } })).toBe(0);
    await expect(remote(atTm.trackingNumber)).rejects.toThrow();
  });
});
