import { afterAll, beforeAll, beforeEach } from "vitest";
import prisma from "~/db/client.server";
import { setTrackingMoreClientTuning, trackingMoreClientForKey } from "~/trackingmore.server";
import { startEmulator, type AccountInit, type EmulatorHandle } from "../../devkit/emulator";

// Fixtures for the merchant admin's tests: an emulator the app talks to, installed shops with a
// TrackingMore key, and trackings that TrackingMore really has.

export async function startAdminEmulator(accounts: AccountInit[]): Promise<EmulatorHandle> {
  const emulator = await startEmulator({ port: 0, rateLimits: false, accounts });
  process.env.TRACKINGMORE_BASE_URL = emulator.baseUrl;
  // One attempt, short timeout: a "TrackingMore is down" test must not wait through back-off.
  setTrackingMoreClientTuning({ timeoutMs: 2_000, retry: { maxAttempts: 1, baseDelayMs: 1 } });
  return emulator;
}

/**
 * For a test file: one emulator for all its tests (started before them, closed after), with no
 * faults at the start of each test. Call `current()` inside tests.
 */
export function withAdminEmulator(accounts: AccountInit[]) {
  let emulator: EmulatorHandle | undefined;
  beforeAll(async () => {
    emulator = await startAdminEmulator(accounts);
  });
  afterAll(async () => {
    setTrackingMoreClientTuning({});
    await emulator?.close();
  });
  beforeEach(() => emulator?.setFaults({}));
  return {
    current(): EmulatorHandle {
      if (!emulator) throw new Error("withAdminEmulator: the emulator is not running (use it inside a test)");
      return emulator;
    },
  };
}

export { installShop } from "./pipeline";

let counter = 0;

/** A tracking created at the emulator and our synced row for it. */
export async function seedSyncedTracking(
  shop: string,
  apiKey: string,
  fields: Partial<{
    title: string;
    orderName: string;
    customerName: string;
    customerEmail: string;
    status: string;
  }> = {},
) {
  counter += 1;
  const trackingNumber = `1Z${Date.now().toString(36).toUpperCase()}${String(counter).padStart(5, "0")}`;
  const created = await trackingMoreClientForKey(apiKey).createTracking({
    trackingNumber,
    carrierCode: "usps",
    // TrackingMore holds what our row holds, so a status reconcile changes nothing unexpected.
    title: fields.title,
    customerName: fields.customerName,
    customerEmail: fields.customerEmail,
  });
  // An exception is TrackingMore's to say too, or the status reconcile would undo it.
  if (fields.status === "exception") {
    await trackingMoreClientForKey(apiKey).updateTracking("usps", trackingNumber, { status: 7 });
  }
  return prisma.tracking.create({
    data: {
      shop,
      orderId: String(1000 + counter),
      orderName: fields.orderName ?? `#${1000 + counter}`,
      trackingNumber,
      carrierCode: "usps",
      trackingMoreId: created.id,
      title: fields.title ?? null,
      customerName: fields.customerName ?? null,
      customerEmail: fields.customerEmail ?? null,
      status: fields.status ?? "transit",
      syncState: "synced",
    },
  });
}

/** A row TrackingMore does not have (and never will, in the test). */
export async function seedLocalTracking(
  shop: string,
  fields: Partial<{
    status: string;
    syncState: string;
    trackingNumber: string;
    createdAt: Date;
    archived: boolean;
  }> = {},
) {
  counter += 1;
  return prisma.tracking.create({
    data: {
      shop,
      orderId: String(5000 + counter),
      orderName: `#${5000 + counter}`,
      trackingNumber: fields.trackingNumber ?? `LOCAL${String(counter).padStart(6, "0")}`,
      carrierCode: "usps",
      status: fields.status ?? "pending",
      syncState: fields.syncState ?? "pending",
      archived: fields.archived ?? false,
      ...(fields.createdAt ? { createdAt: fields.createdAt } : {}),
    },
  });
}

export function formBody(values: Record<string, string>) {
  return { method: "POST", body: new URLSearchParams(values) } as const;
}
