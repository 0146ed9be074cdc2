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
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../emulator";
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

let fulfillmentSequence = 5_000_000;

export interface FulfillmentFixture {
  id?: number;
  orderId?: number;
  orderName?: string;
  numbers?: string[];
  company?: string | null;
  status?: string;
  updatedAt?: string;
  email?: string | null;
  destination?: Record<string, unknown> | null;
}

/** A fulfillments/create payload as Shopify sends it. */
export function fulfillmentPayload(fixture: FulfillmentFixture = {}) {
  const id = fixture.id ?? ++fulfillmentSequence;
  const orderId = fixture.orderId ?? id + 1_000_000;
  const orderName = fixture.orderName ?? `#${1000 + (id % 100_000)}`;
  const numbers = fixture.numbers ?? [`1Z999AA1${String(id).padStart(10, "0")}`];
  return {
    id,
    order_id: orderId,
    name: `${orderName}.1`,
    status: fixture.status ?? "success",
    created_at: "2026-11-20T10:00:00-05:00",
    updated_at: fixture.updatedAt ?? "2026-11-20T10:00:00-05:00",
    service: "manual",
    tracking_company: fixture.company === undefined ? "UPS" : fixture.company,
    tracking_number: numbers[0] ?? null,
    tracking_numbers: numbers,
    tracking_url: null,
    tracking_urls: [],
    shipment_status: null,
    location_id: 1,
    email: fixture.email === undefined ? "ada@example.com" : fixture.email,
    destination:
      fixture.destination === undefined
        ? {
            first_name: "Ada",
            last_name: "Lovelace",
            name: "Ada Lovelace",
            phone: "+44 20 7946 0958",
            country_code: "GB",
            country: "United Kingdom",
            city: "London",
          }
        : fixture.destination,
    line_items: [{ id: 1, title: "Analytical Engine", name: "Analytical Engine", quantity: 1 }],
    admin_graphql_api_id: `gid://shopify/Fulfillment/${id}`,
  };
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
