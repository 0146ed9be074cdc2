import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import prisma from "~/db/client.server";
import { saveTrackingMoreApiKey } from "~/models/settings.server";
import { ingestPendingDeliveries } from "~/pipeline/ingest/ingest.server";
import { dispatchPendingTrackings } from "~/pipeline/dispatch/dispatch.server";
import { pushTrackingChanges } from "~/pipeline/change-push/push-changes.server";
import { receiveFulfillmentWebhook } from "~/webhooks/webhooks.server";
import { setTrackingMoreClientTuning } from "~/trackingmore.server";
import { TrackingMoreClient, type Tracking } from "~/trackingmore";
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../devkit/emulator";
import { seedOfflineSession, webhookRequest } from "./shopify";

// The fulfillment pipeline end to end in one process: signed deliveries into the real webhook
// route, the ingest and dispatch jobs run round by round, TrackingMore played by the emulator.

export interface PipelineEmulator {
  emulator: EmulatorHandle;
  apiKey: string;
  email: string;
  /** A client on the same account, for reading back what TrackingMore has. */
  client: TrackingMoreClient;
}

export async function startPipelineEmulator(options: EmulatorOptions = {}): Promise<PipelineEmulator> {
  const apiKey = `tm-${randomUUID()}`;
  const email = `owner-${apiKey.slice(-6)}@example.com`;
  const emulator = await startEmulator({
    rateLimits: false,
    ...options,
    accounts: [{ apiKey, email, quota: 100_000 }, ...(options.accounts ?? [])],
  });
  process.env.TRACKINGMORE_BASE_URL = emulator.baseUrl;
  // Fast retries and no client-side pacing: the tests drive time, not the wall clock.
  setTrackingMoreClientTuning({
    timeoutMs: 300,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, rateLimitPauseMs: 5 },
    rateLimits: { listPerSecond: 0, realtimePerSecond: 0, defaultPerSecond: 0 },
  });
  const client = new TrackingMoreClient({
    apiKey,
    baseUrl: emulator.baseUrl,
    rateLimits: { listPerSecond: 0, realtimePerSecond: 0, defaultPerSecond: 0 },
  });
  return { emulator, apiKey, email, client };
}

/**
 * For a test file: one emulator for all its tests (started before, closed after), and shops
 * installed with its key. `current()` is valid inside tests.
 */
export function withPipelineEmulator(shopPrefix: string, options: EmulatorOptions = {}) {
  let tm: PipelineEmulator | undefined;
  let sequence = 0;
  beforeAll(async () => {
    tm = await startPipelineEmulator(options);
  });
  afterAll(() => tm?.emulator.close());
  const current = () => {
    if (!tm) throw new Error("withPipelineEmulator: the emulator is not running (use it inside a test)");
    return tm;
  };
  return {
    current,
    /** A new installed shop; with the emulator's API key unless `withKey` is false. */
    async newShop(withKey = true): Promise<string> {
      const shop = `${shopPrefix}-${++sequence}-${Date.now()}.myshopify.com`;
      await installShop(shop, withKey ? current().apiKey : undefined);
      return shop;
    },
  };
}

export async function installShop(shop: string, apiKey?: string) {
  await seedOfflineSession(shop);
  if (apiKey) await saveTrackingMoreApiKey(shop, apiKey);
}

export async function deliver(topic: string, shop: string, body: unknown, webhookId: string = randomUUID()) {
  try {
    return await receiveFulfillmentWebhook(webhookRequest({ topic, shop, body, webhookId }));
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Runs ingest, dispatch and the change push until a whole round does nothing. */
export async function drainPipeline(options: { now?: Date; maxRounds?: number } = {}) {
  for (let round = 0; round < (options.maxRounds ?? 50); round++) {
    const ingested = await ingestPendingDeliveries({ now: options.now });
    const dispatched = await dispatchPendingTrackings({ now: options.now });
    const pushed = await pushTrackingChanges({ now: options.now ? () => options.now! : undefined });
    if (ingested + dispatched + pushed.synced + pushed.failed.length === 0) return;
  }
  throw new Error("the pipeline did not settle");
}

export async function trackingsAtTrackingMore(client: TrackingMoreClient): Promise<Tracking[]> {
  const all: Tracking[] = [];
  for await (const tracking of client.iterateTrackings({ limit: 2000 })) all.push(tracking);
  return all;
}

export function localTrackings(shop: string) {
  return prisma.tracking.findMany({ where: { shop }, orderBy: { trackingNumber: "asc" } });
}
